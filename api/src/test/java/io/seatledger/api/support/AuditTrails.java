package io.seatledger.api.support;

import io.seatledger.projections.audit.AuditTrailProjection;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Waits for the audit trail: until the audit-trail processor records every stored event as complete (what a checkpoint covers). */
public final class AuditTrails {

    private AuditTrails() {
    }

    public static void awaitComplete(DatabaseOwner owner) {
        Long last = owner.jdbc().queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> owner.jdbc().queryForObject(
                "select min(complete_to) from read_model.processed_positions where processor = ?", Long.class, AuditTrailProjection.PROCESSOR) >= last);
    }
}
