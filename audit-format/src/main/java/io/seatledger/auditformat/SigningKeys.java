package io.seatledger.auditformat;

import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ed25519 public keys as JSON Web Keys (RFC 8037: {@code kty "OKP"}, {@code crv "Ed25519"}, {@code x} the 32 raw key
 * bytes in base64url) and their key ids, the RFC 7638 thumbprint: base64url SHA-256 of
 * {@code {"crv":"Ed25519","kty":"OKP","x":"…"}}. A JWKS is read by kid; a key whose kid is not its thumbprint is refused.
 */
public final class SigningKeys {

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
    private static final byte[] X509_PREFIX = Hex.parse("302a300506032b6570032100");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SigningKeys() {
    }

    /** The JWK {@code x} of an Ed25519 public key. */
    public static String x(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != X509_PREFIX.length + 32 || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return BASE64URL.encodeToString(Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length));
    }

    /** The Ed25519 public key of JWK {@code x}. */
    public static PublicKey fromX(String x) {
        byte[] raw = Base64.getUrlDecoder().decode(x);
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 key is 32 bytes");
        }
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance(CheckpointSignature.ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** The RFC 7638 thumbprint of the Ed25519 key {@code x}: its key id. */
    public static String keyId(String x) {
        byte[] members = ("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}").getBytes(StandardCharsets.UTF_8);
        return BASE64URL.encodeToString(EntryHash.sha256().digest(members));
    }

    /** The JWK of key {@code x}, as {@code GET /api/v1/audit/keys} lists it. */
    public static Map<String, String> jwk(String x) {
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("x", x);
        jwk.put("kid", keyId(x));
        jwk.put("use", "sig");
        jwk.put("alg", "EdDSA");
        return jwk;
    }

    /**
     * The Ed25519 keys of a JWKS by key id. Keys of another type are skipped; an Ed25519 key whose {@code kid} is not
     * its thumbprint, or whose {@code x} is not a key, is refused.
     */
    public static Map<String, PublicKey> fromJwks(JsonNode jwks) {
        JsonNode keys = jwks.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalArgumentException("a JWKS has an array \"keys\"");
        }
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (JsonNode key : keys) {
            if (!"OKP".equals(text(key, "kty")) || !"Ed25519".equals(text(key, "crv"))) {
                continue;
            }
            String x = text(key, "x");
            String kid = text(key, "kid");
            if (x == null || !keyId(x).equals(kid)) {
                throw new IllegalArgumentException("key " + kid + " is not named by its thumbprint");
            }
            byId.put(kid, fromX(x));
        }
        return byId;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isString() ? null : value.asString();
    }
}
