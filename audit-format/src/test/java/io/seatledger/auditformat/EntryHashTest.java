package io.seatledger.auditformat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hash input's byte layout, written out field by field here independently of {@link EntryHash}. */
class EntryHashTest {

    private static final String PREV = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Test
    void theInputIsEveryFieldInOrderLengthPrefixedWithNullsMarked() throws Exception {
        CanonicalEntry entry = new CanonicalEntry(42, "org-1", "pool-1", 7, Instant.parse("2026-12-01T10:00:00.123456789Z"), "user-\u00e9",
                "auditor,billing-manager", null, "why \uD83D\uDE00", "SeatRevoked", "seat", "seat-1", "pool-1", "seat-1", "{\"a\":1}", PREV, null);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        text(expected, EntryHash.FORMAT);
        expected.write(ByteBuffer.allocate(8).putLong(42).array());
        text(expected, "org-1");
        text(expected, "pool-1");
        expected.write(ByteBuffer.allocate(8).putLong(7).array());
        expected.write(ByteBuffer.allocate(8).putLong(1_796_119_200_123_456L).array());
        text(expected, "user-\u00e9");
        text(expected, "auditor,billing-manager");
        expected.write(0);
        text(expected, "why \uD83D\uDE00");
        text(expected, "SeatRevoked");
        text(expected, "seat");
        text(expected, "seat-1");
        text(expected, "pool-1");
        text(expected, "seat-1");
        text(expected, "{\"a\":1}");
        expected.write(1);
        expected.write(Hex.parse(PREV));

        EntryHash hash = new EntryHash();
        assertThat(hash.input(entry)).isEqualTo(expected.toByteArray());
        assertThat(hash.hex(entry)).isEqualTo(Hex.of(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray())));
    }

    @Test
    void nullAndEmptyDifferAndFieldsCannotBeShiftedIntoEachOther() {
        EntryHash hash = new EntryHash();
        CanonicalEntry entry = Entries.unhashed(1, "pool-1", 0, "{}");
        CanonicalEntry emptyReason = new CanonicalEntry(1, "org-1", "pool-1", 0, entry.occurredAt(), "user-ada", "billing-manager",
                entry.requestId(), "", entry.action(), entry.objectType(), entry.objectId(), entry.poolId(), entry.seatId(), "{}", null, null);
        assertThat(hash.hex(entry)).isNotEqualTo(hash.hex(emptyReason));
        CanonicalEntry shifted = new CanonicalEntry(1, "org-1", "pool-1", 0, entry.occurredAt(), "user-adab", "illing-manager",
                entry.requestId(), null, entry.action(), entry.objectType(), entry.objectId(), entry.poolId(), entry.seatId(), "{}", null, null);
        assertThat(hash.hex(entry)).isNotEqualTo(hash.hex(shifted));
    }

    @Test
    void timeIsHashedInMicrosecondsAsStored() {
        EntryHash hash = new EntryHash();
        CanonicalEntry entry = Entries.unhashed(1, "pool-1", 0, "{}");
        Instant nanos = entry.occurredAt().plusNanos(999);
        CanonicalEntry finer = new CanonicalEntry(1, "org-1", "pool-1", 0, nanos, "user-ada", "billing-manager", entry.requestId(), null,
                entry.action(), entry.objectType(), entry.objectId(), entry.poolId(), entry.seatId(), "{}", null, null);
        assertThat(hash.hex(finer)).isEqualTo(hash.hex(entry));
        assertThat(CanonicalEntry.storedInstant(nanos)).isEqualTo(entry.occurredAt());
    }

    @Test
    void aPreviousHashMustBeLowerCaseHexOf32Bytes() {
        CanonicalEntry entry = Entries.unhashed(1, "pool-1", 1, "{}");
        assertThatThrownBy(() -> new EntryHash().hex(entry.chained("abc", null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntryHash().hex(entry.chained(PREV.toUpperCase(), null))).isInstanceOf(IllegalArgumentException.class);
    }

    private static void text(ByteArrayOutputStream out, String value) throws Exception {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(1);
        out.write(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.write(bytes);
    }
}
