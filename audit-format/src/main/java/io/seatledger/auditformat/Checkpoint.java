package io.seatledger.auditformat;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed statement of an organization's state (docs/audit-format.md, "Checkpoints"): every entry at or below
 * {@code upTo} is in the trail, and the Merkle root over the aggregates' heads at {@code upTo} is {@code headHash}.
 * {@code signature} is the Ed25519 signature (base64url, no padding) of {@link CheckpointSignature#input} by the key
 * {@code keyId} (its RFC 7638 thumbprint).
 */
public record Checkpoint(String checkpointId, String orgId, long upTo, String headHash, Instant signedAt, String keyId, String signature) {

    public Checkpoint {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(signedAt, "signedAt");
    }

    /** The bytes this checkpoint's signature covers. */
    public byte[] signedBytes() {
        return CheckpointSignature.input(orgId, upTo, headHash, signedAt);
    }
}
