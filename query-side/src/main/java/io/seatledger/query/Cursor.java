package io.seatledger.query;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a listing sorted by (time, id) left off, as an opaque string: clients pass back what they got and
 * never build one. Keyset pagination, so a page costs the same however deep it is.
 */
public record Cursor(Instant after, String afterId) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public String encode() {
        String plain = after.getEpochSecond() + "." + after.getNano() + "/" + afterId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client passed back, or null for the first page. */
    public static Cursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int slash = plain.indexOf('/');
            int dot = plain.indexOf('.');
            if (slash < 0 || dot < 0 || dot > slash || slash == plain.length() - 1) {
                throw invalid();
            }
            Instant after = Instant.ofEpochSecond(Long.parseLong(plain.substring(0, dot)), Long.parseLong(plain.substring(dot + 1, slash)));
            return new Cursor(after, plain.substring(slash + 1));
        } catch (IllegalArgumentException | java.time.DateTimeException malformed) {
            throw invalid();
        }
    }

    /** The page size a client asked for, checked; null means the default. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "limit must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }

    private static SeatLedgerException invalid() {
        return new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "cursor is not one this API returned");
    }
}
