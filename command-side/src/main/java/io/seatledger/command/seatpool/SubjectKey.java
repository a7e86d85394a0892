package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PersonalData;

/**
 * A subject ({@link PersonalData#subject}) as a map key that shares the seat's stored address rather than copying the
 * {@code pd1:<digest>} prefix out of it: 24 bytes a seat instead of ~110, in a pool held in memory whole.
 */
final class SubjectKey {

    private final String value;
    private final int length;
    private final int hash;

    private SubjectKey(String value, int length) {
        this.value = value;
        this.length = length;
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + value.charAt(i);
        }
        this.hash = h;
    }

    /** A subject ({@link PersonalData#subject}) as it is: a clear one is not normalized again. */
    static SubjectKey ofSubject(String subject) {
        int prefix = PersonalData.subjectPrefixLength(subject);
        return new SubjectKey(subject, prefix > 0 ? prefix : subject.length());
    }

    /** The subject of a sealed address, a reference or an address in clear. */
    static SubjectKey of(String value) {
        int prefix = PersonalData.subjectPrefixLength(value);
        if (prefix > 0) {
            return new SubjectKey(value, prefix);
        }
        String subject = PersonalData.subject(value);
        return new SubjectKey(subject, subject.length());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectKey key && key.hash == hash && key.length == length && value.regionMatches(0, key.value, 0, length);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return value.substring(0, length);
    }
}
