package io.seatledger.messages.common;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * E-mail addresses: kept as typed but trimmed and in Unicode NFC ({@link #canonical}), compared after NFC and
 * case folding ({@link #normalize}); an address with a control character is not valid.
 */
public final class Emails {

    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    public static final int MAX_LENGTH = 254;

    private Emails() {
    }

    /** The address as it is stored and shown. */
    public static String canonical(String email) {
        return PlainText.nfc(email.trim());
    }

    /** The address as it is compared: two addresses are the same when these are equal. */
    public static String normalize(String email) {
        return canonical(email).toLowerCase(Locale.ROOT);
    }

    public static boolean isValid(String email) {
        if (email == null || !PlainText.isPlain(email)) {
            return false;
        }
        String address = canonical(email);
        return address.length() <= MAX_LENGTH && SHAPE.matcher(address).matches();
    }

    public static boolean sameAddress(String a, String b) {
        return a != null && b != null && normalize(a).equals(normalize(b));
    }
}
