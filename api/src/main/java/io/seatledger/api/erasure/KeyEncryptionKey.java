package io.seatledger.api.erasure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that wraps every key of the erasure vault (AES-256-GCM), kept outside the database: given in the
 * configuration, or on the embedded default generated once in the data directory (owner-only file). A wrapped key
 * is bound to what it is for (its context, e.g. organization and subject digest), so a row copied onto another
 * subject or organization does not unwrap.
 */
public final class KeyEncryptionKey {

    static final String FILE_NAME = "erasure-kek.b64";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private KeyEncryptionKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("the key-encryption key must be " + KEY_BYTES + " bytes (base64), not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The configured key (base64 of 32 bytes). */
    public static KeyEncryptionKey of(String base64) {
        return new KeyEncryptionKey(Base64.getDecoder().decode(base64.trim()));
    }

    /** The key in {@code dataDirectory}, created on first use. */
    public static KeyEncryptionKey inDirectory(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return of(Files.readString(file));
            }
            Files.createDirectories(dataDirectory);
            Path temporary = Files.createTempFile(dataDirectory, "erasure-kek", ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the data directory's own permissions protect it
            }
            Files.writeString(temporary, Base64.getEncoder().encodeToString(randomBytes(KEY_BYTES)));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return of(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the key-encryption key in " + dataDirectory, e);
        }
    }

    static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A new random data key of the vault's size. */
    static byte[] newDataKey() {
        return randomBytes(KEY_BYTES);
    }

    /** {@code base64(iv | ciphertext+tag)} of {@code plain}, bound to {@code context}. */
    public String wrap(byte[] plain, String context) {
        byte[] iv = randomBytes(IV_BYTES);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, iv, plain, context);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }

    /** The key wrapped by {@link #wrap} for the same context; fails if the row was altered or moved. */
    public byte[] unwrap(String wrapped, String context) {
        byte[] bytes = Base64.getDecoder().decode(wrapped);
        byte[] iv = java.util.Arrays.copyOfRange(bytes, 0, IV_BYTES);
        return crypt(Cipher.DECRYPT_MODE, iv, java.util.Arrays.copyOfRange(bytes, IV_BYTES, bytes.length), context);
    }

    private byte[] crypt(int mode, byte[] iv, byte[] input, String context) {
        try {
            return AesGcm.crypt(mode, key, iv, context.getBytes(StandardCharsets.UTF_8), input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a vault key does not unwrap with this key-encryption key (wrong key, or the row was altered)", e);
        }
    }
}
