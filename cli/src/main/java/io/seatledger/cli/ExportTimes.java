package io.seatledger.cli;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants of an export: {@code 2026-12-01T10:15:30.123456Z}, the exports' form, directly (a million
 * entries spend no time in a general parser); any other ISO 8601 instant through {@link Instant#parse}.
 */
final class ExportTimes {

    private ExportTimes() {
    }

    static Instant parse(String text) {
        if (text.length() == 27 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && text.charAt(19) == '.' && text.charAt(26) == 'Z') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 2);
            int day = digits(text, 8, 2);
            int hour = digits(text, 11, 2);
            int minute = digits(text, 14, 2);
            int second = digits(text, 17, 2);
            int micros = digits(text, 20, 6);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60
                    && second >= 0 && second < 60 && micros >= 0 && day <= LocalDate.of(year, month, 1).lengthOfMonth()) {
                long epochDay = LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, micros * 1_000L);
            }
        }
        return Instant.parse(text);
    }

    /** The decimal number of {@code length} digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
