package io.seatledger.auditformat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads instants in the layout the service writes them, {@code 2026-12-03T09:38:35.218Z} (UTC, 0 to 9 fraction
 * digits: stored events have three, audit exports six), without {@link java.time.format.DateTimeFormatter}, whose
 * parse allocates a map and a resolver per call. The service's processors read two per event each, and the offline
 * verifier one per entry of a million-entry export. Any other text is left to a general parser.
 */
public final class UtcTimestamps {

    private static final int DATE_AND_TIME = "2026-12-03T09:38:35".length();

    private UtcTimestamps() {
    }

    /** The instant: in the layout above read here, any other ISO 8601 instant by {@link Instant#parse}. */
    public static Instant parse(String text) {
        Instant instant = parseOrNull(text);
        return instant != null ? instant : Instant.parse(text);
    }

    /** The instant, or null when the text is not in the layout above (the caller then parses it in full). */
    public static Instant parseOrNull(CharSequence text) {
        int length = text.length();
        if (length < DATE_AND_TIME + 1 || length > DATE_AND_TIME + 11 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int nanos = 0;
        int end = length - 1;
        if (end > DATE_AND_TIME) {
            int fractionDigits = end - DATE_AND_TIME - 1;
            if (text.charAt(DATE_AND_TIME) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int fraction = digits(text, DATE_AND_TIME + 1, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException invalidDate) {
            return null;
        }
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 if a character is not a digit. */
    private static int digits(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
