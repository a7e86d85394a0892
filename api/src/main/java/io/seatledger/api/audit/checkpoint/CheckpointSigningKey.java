package io.seatledger.api.audit.checkpoint;

import io.seatledger.auditformat.CheckpointSignature;
import io.seatledger.auditformat.SigningKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The Ed25519 key that signs audit checkpoints, read from a PKCS#8 PEM file: the file an operator configures
 * ({@code seatledger.audit.signing-key-file}), or else one made on first start in the data directory (readable by its
 * owner only). Its key id is the RFC 7638 thumbprint of its public key. Losing the key does not invalidate checkpoints
 * already signed (their public key stays published), but a key anyone else can read lets them sign forged ones.
 */
public final class CheckpointSigningKey {

    static final String FILE_IN_DATA_DIRECTORY = "audit-signing-key.pem";
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private final KeyPair pair;
    private final String x;

    private CheckpointSigningKey(KeyPair pair) {
        this.pair = pair;
        this.x = SigningKeys.x(pair.getPublic());
    }

    /** The key in PKCS#8 PEM file {@code file}. */
    public static CheckpointSigningKey fromFile(Path file) {
        try {
            return new CheckpointSigningKey(pairOf(parse(Files.readString(file, StandardCharsets.US_ASCII))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit signing key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the audit signing key " + file + " is not an Ed25519 private key in PKCS#8 PEM", e);
        }
    }

    /** The key kept in {@code dataDirectory}, made on first use. */
    public static CheckpointSigningKey inDirectory(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_IN_DATA_DIRECTORY);
        if (Files.exists(file)) {
            return fromFile(file);
        }
        try {
            KeyPair pair = KeyPairGenerator.getInstance(CheckpointSignature.ALGORITHM).generateKeyPair();
            Files.createDirectories(dataDirectory);
            Path temporary = Files.createTempFile(dataDirectory, "audit-signing-key", ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the data directory's own permissions protect it
            }
            Files.writeString(temporary, pem(pair.getPrivate()), StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return new CheckpointSigningKey(pair);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the audit signing key in " + dataDirectory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
        }
    }

    /** The JWK {@code x} of the public key. */
    public String x() {
        return x;
    }

    public String keyId() {
        return SigningKeys.keyId(x);
    }

    /** The base64url signature of {@code input}. */
    public String sign(byte[] input) {
        return CheckpointSignature.sign(pair.getPrivate(), input);
    }

    static String pem(PrivateKey key) {
        return BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded()) + "\n" + END + "\n";
    }

    private static PrivateKey parse(String pem) throws GeneralSecurityException {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no PRIVATE KEY block");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
        return KeyFactory.getInstance(CheckpointSignature.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /**
     * The key pair of an Ed25519 private key. The JDK derives a public key only while generating a pair, from the 32
     * bytes its random source gives; given the private key's bytes as that source, it derives this key's public key.
     * The pair is checked by a signature before it is used.
     */
    private static KeyPair pairOf(PrivateKey privateKey) throws GeneralSecurityException {
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes().orElseThrow(() -> new IllegalArgumentException("the key's bytes are not readable"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance(CheckpointSignature.ALGORITHM);
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        KeyPair derived = generator.generateKeyPair();
        byte[] probe = "seat-ledger key check".getBytes(StandardCharsets.US_ASCII);
        if (!CheckpointSignature.verifies(derived.getPublic(), probe, CheckpointSignature.sign(privateKey, probe))) {
            throw new IllegalArgumentException("the public key derived from the private key does not match it");
        }
        return new KeyPair(derived.getPublic(), privateKey);
    }
}
