package io.seatledger.client.model;

import java.time.Instant;

/** Filters of an audit page; null means unfiltered. */
public record AuditQuery(Long after, Instant from, Instant to, String actor, String action, Integer limit) {

    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null);
    }

    public AuditQuery after(long position) {
        return new AuditQuery(position, from, to, actor, action, limit);
    }
}
