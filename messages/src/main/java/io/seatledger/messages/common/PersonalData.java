package io.seatledger.messages.common;

import java.util.regex.Pattern;

/**
 * E-mail addresses as events store them. New events hold a sealed address, {@code pd1:<digest>:<base64url(iv |
 * ciphertext)>}: AES-GCM under the subject's own data key, kept outside the event store, and named by the subject's
 * keyed digest (HMAC under the organization's key, lowercase hex). Events written before sealing hold the address in
 * clear. The pools compare subjects ({@link #subject}): a sealed address by its digest, so that neither the vault nor
 * the clear address is needed to decide, a clear one as {@link Emails#normalize} compares it.
 */
public final class PersonalData {

    public static final String PREFIX = "pd1:";
    private static final Pattern SEALED = Pattern.compile("^pd1:[0-9a-f]{64}:[A-Za-z0-9_-]{40,1500}$");
    private static final Pattern REFERENCE = Pattern.compile("^pd1:[0-9a-f]{64}$");

    private PersonalData() {
    }

    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX) && SEALED.matcher(value).matches();
    }

    /** The subject's keyed digest a sealed address names. */
    public static String digest(String sealed) {
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("not a sealed address");
        }
        return sealed.substring(PREFIX.length(), PREFIX.length() + 64);
    }

    /**
     * A subject named by its digest alone, {@code pd1:<digest>}: what a claim compares with a sealed seat's address.
     * Commands carry it; events never do.
     */
    public static String reference(String digest) {
        String reference = PREFIX + digest;
        if (!REFERENCE.matcher(reference).matches()) {
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
        if (value.startsWith(PREFIX) && REFERENCE.matcher(value).matches()) {
            return value;
        }
        return isSealed(value) ? PREFIX + digest(value) : Emails.normalize(value);
    }

    public static boolean sameSubject(String a, String b) {
        return a != null && b != null && subject(a).equals(subject(b));
    }
}
