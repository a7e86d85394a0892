package io.seatledger.messages.common;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * A seat invitation: the pool and seat it opens (so a claim can be routed to its pool without a
 * read model) plus 256 random bits. Only {@link #sha256()} is ever stored.
 */
public record InvitationToken(UUID poolId, UUID seatId, String value) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 32;
    private static final int TOKEN_BYTES = 16 + 16 + SECRET_BYTES;

    public static InvitationToken issue(UUID poolId, UUID seatId) {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        ByteBuffer buffer = ByteBuffer.allocate(TOKEN_BYTES)
                .putLong(poolId.getMostSignificantBits()).putLong(poolId.getLeastSignificantBits())
                .putLong(seatId.getMostSignificantBits()).putLong(seatId.getLeastSignificantBits())
                .put(secret);
        return new InvitationToken(poolId, seatId, Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array()));
    }

    /** Reads a token a client presented; anything malformed is simply not a token. */
    public static Optional<InvitationToken> parse(String value) {
        if (value == null || value.length() > 128) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != TOKEN_BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        UUID poolId = new UUID(buffer.getLong(), buffer.getLong());
        UUID seatId = new UUID(buffer.getLong(), buffer.getLong());
        return Optional.of(new InvitationToken(poolId, seatId, value));
    }

    public String sha256() {
        return hash(value);
    }

    public static String hash(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    /** Never print the secret. */
    @Override
    public String toString() {
        return "InvitationToken[poolId=" + poolId + ", seatId=" + seatId + "]";
    }
}
