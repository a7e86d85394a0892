package io.seatledger.auditformat;

/** Lower-case hexadecimal, the form hashes take in the trail and its exports; compared without allocating. */
public final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static String of(byte[] bytes) {
        char[] text = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            text[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
            text[2 * i + 1] = DIGITS[bytes[i] & 0xf];
        }
        return new String(text);
    }

    /** The bytes of lower-case hex {@code text}; refuses anything else. */
    public static byte[] parse(String text) {
        if (text.length() % 2 != 0) {
            throw new IllegalArgumentException("hex of odd length");
        }
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (digit(text.charAt(2 * i)) << 4 | digit(text.charAt(2 * i + 1)));
        }
        return bytes;
    }

    /** Whether {@code text} is the lower-case hex of {@code bytes}. */
    public static boolean matches(String text, byte[] bytes) {
        if (text == null || text.length() != bytes.length * 2) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (text.charAt(2 * i) != DIGITS[(bytes[i] >> 4) & 0xf] || text.charAt(2 * i + 1) != DIGITS[bytes[i] & 0xf]) {
                return false;
            }
        }
        return true;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        throw new IllegalArgumentException("not lower-case hex: " + c);
    }
}
