package io.seatledger.api.erasure;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.Provider;

/**
 * AES-GCM with a 128-bit tag, for the vault's wrapped keys and the sealed addresses. A bulk import seals ten thousand
 * addresses (and wraps as many new keys) per request, and {@code Cipher.getInstance} without a provider searches
 * every installed provider each time: the cipher is made by the provider found once. Each use has a cipher of its
 * own, so no cipher outlives its call holding a subject's key (an erased subject's key is not kept by a pooled thread).
 */
final class AesGcm {

    static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final Provider PROVIDER = provider();

    private AesGcm() {
    }

    /** {@code input} encrypted ({@link Cipher#ENCRYPT_MODE}) or decrypted and checked, bound to {@code aad}. */
    static byte[] crypt(int mode, SecretKeySpec key, byte[] iv, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION, PROVIDER);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    private static Provider provider() {
        try {
            return Cipher.getInstance(TRANSFORMATION).getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + TRANSFORMATION, e);
        }
    }
}
