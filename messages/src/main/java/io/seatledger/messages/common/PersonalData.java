package io.seatledger.messages.common;

/**
 * E-mail addresses as events store them. New events hold a sealed address, {@code pd1:<digest>:<base64url(iv |
 * ciphertext)>}: AES-GCM under the subject's own data key, kept outside the event store, and named by the subject's
 * keyed digest (HMAC under the organization's key, lowercase hex). Events written before sealing hold the address in
 * clear. The pools compare subjects ({@link #subject}): a sealed address by its digest, so that neither the vault nor
 * the clear address is needed to decide, a clear one as {@link Emails#normalize} compares it.
 */
public final class PersonalData {

    public static final String PREFIX = "pd1:";
    private static final int DIGEST_LENGTH = 64;
    private static final int REFERENCE_LENGTH = PREFIX.length() + DIGEST_LENGTH;
    private static final int MIN_SEALED_LENGTH = REFERENCE_LENGTH + 1 + 40;
    private static final int MAX_SEALED_LENGTH = REFERENCE_LENGTH + 1 + 1500;
    private static final boolean[] BASE64_URL = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            BASE64_URL[c] = true;
        }
    }

    private PersonalData() {
    }

    /**
     * Whether a value has the sealed form {@code pd1:<64 lowercase hex>:<40 to 1,500 base64url characters>}. Checked
     * character by character rather than with a regular expression: the pools ask it several times for every seat they
     * admit or load, and a matcher was a sixth of a bulk onboarding's CPU (docs/benchmarks-history.md).
     */
    public static boolean isSealed(String value) {
        if (value == null || value.length() < MIN_SEALED_LENGTH || value.length() > MAX_SEALED_LENGTH
                || !hasReferenceForm(value) || value.charAt(REFERENCE_LENGTH) != ':') {
            return false;
        }
        for (int i = REFERENCE_LENGTH + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= BASE64_URL.length || !BASE64_URL[c]) {
                return false;
            }
        }
        return true;
    }

    /** Whether a value starts with {@code pd1:} and 64 lowercase hex digits. */
    private static boolean hasReferenceForm(String value) {
        if (value.length() < REFERENCE_LENGTH || !value.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < REFERENCE_LENGTH; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isReference(String value) {
        return value.length() == REFERENCE_LENGTH && hasReferenceForm(value);
    }

    /** The subject's keyed digest a sealed address names. */
    public static String digest(String sealed) {
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("not a sealed address");
        }
        return sealed.substring(PREFIX.length(), REFERENCE_LENGTH);
    }

    /**
     * A subject named by its digest alone, {@code pd1:<digest>}: what a claim compares with a sealed seat's address.
     * Commands carry it; events never do.
     */
    public static String reference(String digest) {
        String reference = PREFIX + digest;
        if (!isReference(reference)) {
            throw new IllegalArgumentException("not a subject digest");
        }
        return reference;
    }

    /** A sealed address, or a valid address in clear (events written before sealing, and tests). */
    public static boolean isValid(String value) {
        return isSealed(value) || Emails.isValid(value);
    }

    /** The form an address is stored in: a sealed one as it is, one in clear {@link Emails#canonical}. */
    public static String stored(String value) {
        return isSealed(value) ? value : Emails.canonical(value);
    }

    /**
     * What two addresses are compared by: {@code pd1:<digest>} for a sealed address, the normalized address for one in
     * clear; a {@link #reference} as itself. A sealed and a clear address never compare equal.
     */
    public static String subject(String value) {
        int prefix = subjectPrefixLength(value);
        if (prefix == 0) {
            return Emails.normalize(value);
        }
        return value.length() == prefix ? value : value.substring(0, prefix);
    }

    /**
     * How many leading characters of a value are its {@link #subject}: the {@code pd1:<digest>} prefix of a sealed
     * address or a reference; 0 for an address in clear, whose subject is its normalized form.
     */
    public static int subjectPrefixLength(String value) {
        return isReference(value) || isSealed(value) ? REFERENCE_LENGTH : 0;
    }

    public static boolean sameSubject(String a, String b) {
        return a != null && b != null && subject(a).equals(subject(b));
    }
}
