package io.seatledger.messages.common;

/** The rule every user id (a token's {@code sub}) follows wherever one is given: 1 to 255 characters, not only blanks, no control characters. */
public final class UserIds {

    public static final int MAX_LENGTH = 255;

    private UserIds() {
    }

    public static boolean isValid(String userId) {
        return userId != null && !userId.isBlank() && userId.length() <= MAX_LENGTH && PlainText.isPlain(userId);
    }
}
