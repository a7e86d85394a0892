package io.seatledger.query.audit;

import java.time.Instant;

/** Which entries of an organization's trail to read; every part may be null (no condition). */
public record AuditFilter(Long after, Instant from, Instant to, String actor, String action) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null);

    /** The same conditions for the entries after {@code position} only. */
    public AuditFilter after(long position) {
        return new AuditFilter(position, from, to, actor, action);
    }
}
