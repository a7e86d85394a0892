package io.seatledger.auditformat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

/**
 * An entry's hash: SHA-256 over its canonical bytes (docs/audit-format.md, "Hash input"). In order: the format tag
 * {@value #FORMAT}, position, orgId, aggregateId, sequence, occurredAt (microseconds since the epoch), actorId,
 * actorRoles, requestId, reason, action, objectType, objectId, poolId, seatId, details, prevHash. A text is
 * {@code 0x00} when null, else {@code 0x01}, its UTF-8 length as 4 bytes big-endian and its UTF-8 bytes; an integer
 * 8 bytes big-endian; prevHash {@code 0x00} when null, else {@code 0x01} and its 32 bytes. One instance reuses its
 * buffer and digest from entry to entry (no allocation per entry), so it is not thread-safe.
 */
public final class EntryHash {

    public static final String FORMAT = "seat-ledger audit entry v1";
    public static final int LENGTH = 32;

    private final MessageDigest sha256 = sha256();
    private byte[] buffer = new byte[1024];
    private int size;

    /** The lower-case hex hash of {@code entry} (its own {@code hash} is ignored). */
    public String hex(CanonicalEntry entry) {
        byte[] digest = new byte[LENGTH];
        digest(entry, digest);
        return Hex.of(digest);
    }

    /** Writes the hash of {@code entry} into {@code out} (32 bytes). */
    public void digest(CanonicalEntry entry, byte[] out) {
        encode(entry);
        sha256.update(buffer, 0, size);
        try {
            sha256.digest(out, 0, LENGTH);
        } catch (java.security.DigestException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The canonical bytes of {@code entry}, the input of its hash (for documentation and tests). */
    public byte[] input(CanonicalEntry entry) {
        encode(entry);
        return Arrays.copyOf(buffer, size);
    }

    private void encode(CanonicalEntry entry) {
        size = 0;
        text(FORMAT);
        integer(entry.position());
        text(entry.orgId());
        text(entry.aggregateId());
        integer(entry.sequence());
        integer(micros(entry.occurredAt()));
        text(entry.actorId());
        text(entry.actorRoles());
        text(entry.requestId());
        text(entry.reason());
        text(entry.action());
        text(entry.objectType());
        text(entry.objectId());
        text(entry.poolId());
        text(entry.seatId());
        text(entry.details());
        if (entry.prevHash() == null) {
            room(1);
            buffer[size++] = 0;
        } else {
            if (entry.prevHash().length() != 2 * LENGTH) {
                throw new IllegalArgumentException("a previous hash is 64 hex digits");
            }
            room(1 + LENGTH);
            buffer[size++] = 1;
            for (int i = 0; i < LENGTH; i++) {
                buffer[size++] = (byte) (digit(entry.prevHash().charAt(2 * i)) << 4 | digit(entry.prevHash().charAt(2 * i + 1)));
            }
        }
    }

    /** Microseconds since the epoch; the trail keeps no finer time. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private void integer(long value) {
        room(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }

    private void text(String value) {
        if (value == null) {
            room(1);
            buffer[size++] = 0;
            return;
        }
        room(5 + 3 * value.length());
        buffer[size++] = 1;
        int lengthAt = size;
        size += 4;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                buffer[size++] = (byte) c;
            } else if (c < 0x800) {
                buffer[size++] = (byte) (0xc0 | c >> 6);
                buffer[size++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                int code = Character.toCodePoint(c, value.charAt(++i));
                buffer[size++] = (byte) (0xf0 | code >> 18);
                buffer[size++] = (byte) (0x80 | code >> 12 & 0x3f);
                buffer[size++] = (byte) (0x80 | code >> 6 & 0x3f);
                buffer[size++] = (byte) (0x80 | code & 0x3f);
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("an unpaired surrogate has no UTF-8 form");
            } else {
                buffer[size++] = (byte) (0xe0 | c >> 12);
                buffer[size++] = (byte) (0x80 | c >> 6 & 0x3f);
                buffer[size++] = (byte) (0x80 | c & 0x3f);
            }
        }
        int length = size - lengthAt - 4;
        buffer[lengthAt] = (byte) (length >>> 24);
        buffer[lengthAt + 1] = (byte) (length >>> 16);
        buffer[lengthAt + 2] = (byte) (length >>> 8);
        buffer[lengthAt + 3] = (byte) length;
    }

    private void room(int bytes) {
        if (size + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + bytes));
        }
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        throw new IllegalArgumentException("hashes are lower-case hex");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("every JDK has SHA-256", missing);
        }
    }
}
