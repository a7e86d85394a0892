package io.seatledger.api.support;

/** Forges a secret a test must not be able to use: always a different string of the same alphabet and length. */
public final class Tampering {

    private Tampering() {
    }

    /** {@code secret} with the character at {@code index} replaced by another base64url character. */
    public static String changeCharAt(String secret, int index) {
        char replacement = secret.charAt(index) == 'B' ? 'C' : 'B';
        return secret.substring(0, index) + replacement + secret.substring(index + 1);
    }
}
