package io.seatledger.api.support;

import io.seatledger.api.audit.checkpoint.CheckpointSigner;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Waits for the audit trail: until it holds every stored event, up to the position a checkpoint would cover. */
public final class AuditTrails {

    private AuditTrails() {
    }

    public static void awaitComplete(DatabaseOwner owner, CheckpointSigner signer) {
        Long last = owner.jdbc().queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> signer.completeTo() >= last);
    }
}
