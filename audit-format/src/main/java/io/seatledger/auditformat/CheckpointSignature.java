package io.seatledger.auditformat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * A checkpoint's signature (docs/audit-format.md, "Checkpoints"): Ed25519 over the canonical bytes {@value #FORMAT},
 * orgId, upTo, headHash, signedAt, encoded as an entry's hash input is (a text as {@code 01}, 4-byte big-endian UTF-8
 * length and bytes; an integer as 8 bytes big-endian; the hash as {@code 01} and its 32 bytes; the instant as
 * microseconds since the epoch). The signature travels as base64url without padding.
 */
public final class CheckpointSignature {

    public static final String FORMAT = "seat-ledger audit checkpoint v1";
    public static final String ALGORITHM = "Ed25519";

    private CheckpointSignature() {
    }

    /** The bytes a checkpoint's signature covers. */
    public static byte[] input(String orgId, long upTo, String headHash, Instant signedAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        text(out, FORMAT);
        text(out, orgId);
        integer(out, upTo);
        byte[] hash = Hex.parse(headHash);
        if (hash.length != EntryHash.LENGTH) {
            throw new IllegalArgumentException("a head hash is 64 hex digits");
        }
        out.write(1);
        out.writeBytes(hash);
        integer(out, EntryHash.micros(signedAt));
        return out.toByteArray();
    }

    /** The base64url signature of {@code input} by {@code key}. */
    public static String sign(PrivateKey key, byte[] input) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(input);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an Ed25519 key", e);
        }
    }

    /** Whether {@code signature} (base64url) is {@code key}'s signature of {@code input}; false for anything malformed. */
    public static boolean verifies(PublicKey key, byte[] input, String signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(input);
            return verifier.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException malformed) {
            return false;
        }
    }

    private static void text(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(1);
        integer4(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void integer4(ByteArrayOutputStream out, int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(value >>> shift);
        }
    }

    private static void integer(ByteArrayOutputStream out, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
    }
}
