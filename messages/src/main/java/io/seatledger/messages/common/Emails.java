package io.seatledger.messages.common;

import java.util.Locale;
import java.util.regex.Pattern;

/** E-mail addresses compare case-insensitively; the address as typed is kept for display. */
public final class Emails {

    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    public static final int MAX_LENGTH = 254;

    private Emails() {
    }

    public static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean isValid(String email) {
        return email != null && email.length() <= MAX_LENGTH && SHAPE.matcher(email.trim()).matches();
    }

    public static boolean sameAddress(String a, String b) {
        return a != null && b != null && normalize(a).equals(normalize(b));
    }
}
