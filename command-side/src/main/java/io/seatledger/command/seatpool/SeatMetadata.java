package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PlainText;

import java.util.Map;

/**
 * The limits of the free-form labels a manager attaches to a seat: they are copied into every event and answer of
 * the seat, so their number and size are bounded and they carry no control characters.
 */
final class SeatMetadata {

    static final int MAX_ENTRIES = 20;
    static final int MAX_KEY_LENGTH = 40;
    static final int MAX_VALUE_LENGTH = 500;

    private SeatMetadata() {
    }

    /** Whether the labels are within the limits (none at all are). */
    static boolean isValid(Map<String, String> metadata) {
        if (metadata == null) {
            return true;
        }
        return metadata.size() <= MAX_ENTRIES && metadata.entrySet().stream().allMatch(entry ->
                entry.getKey() != null && !entry.getKey().isBlank() && entry.getKey().length() <= MAX_KEY_LENGTH
                        && entry.getValue() != null && entry.getValue().length() <= MAX_VALUE_LENGTH
                        && PlainText.isPlain(entry.getKey()) && PlainText.isPlain(entry.getValue()));
    }

    /** The labels as a seat's event keeps them: an unmodifiable copy, empty when none were given. */
    static Map<String, String> stored(Map<String, String> metadata) {
        return metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
