package io.seatledger.api.erasure;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * AES-GCM with a 128-bit tag, for the vault's wrapped keys and the sealed addresses. Each thread keeps its cipher:
 * {@code Cipher.getInstance} searches the security providers on every call, and a bulk import seals ten thousand
 * addresses (and wraps as many new keys) per request. Every use initializes the cipher afresh with its own IV.
 */
final class AesGcm {

    static final int TAG_BITS = 128;

    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM", e);
        }
    });

    private AesGcm() {
    }

    /** {@code input} encrypted ({@link Cipher#ENCRYPT_MODE}) or decrypted and checked, bound to {@code aad}. */
    static byte[] crypt(int mode, SecretKeySpec key, byte[] iv, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher cipher = CIPHERS.get();
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }
}
