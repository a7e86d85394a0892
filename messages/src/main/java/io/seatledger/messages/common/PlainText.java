package io.seatledger.messages.common;

import java.text.Normalizer;
import java.util.Map;

/**
 * Text that is stored in events and shown again: it may hold any character except control characters
 * (Unicode category Cc: U+0000-U+001F, U+007F-U+009F), the line and paragraph separators U+2028 and U+2029,
 * and unpaired surrogates. PostgreSQL refuses U+0000 in text, so one such character in an event would stop
 * every read model of its organization; the others break lines of logs, CSV exports and e-mails.
 */
public final class PlainText {

    private PlainText() {
    }

    /** Whether the text holds no control character; null is plain (absence is checked elsewhere). */
    public static boolean isPlain(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (isControl(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    /** Whether every key and every text value of these message metadata are plain. */
    public static boolean isPlain(Map<String, ?> metaData) {
        return metaData.entrySet().stream().allMatch(entry ->
                isPlain(entry.getKey()) && (!(entry.getValue() instanceof CharSequence value) || isPlain(value.toString())));
    }

    /** The text, refused with {@link ErrorCode#VALIDATION_FAILED} naming the field if it is not plain. */
    public static String requirePlain(String field, String text) {
        if (!isPlain(text)) {
            throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, field + " must not contain control characters");
        }
        return text;
    }

    /** The text in Unicode normalization form C, so that the same characters are always stored the same way. */
    public static String nfc(String text) {
        return text == null ? null : Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    private static boolean isControl(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
            default -> false;
        };
    }
}
