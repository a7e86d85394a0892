package io.seatledger.billing.reconciliation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What one reconciliation run checked and found. */
public record ReconciliationReport(UUID id, Instant startedAt, Instant finishedAt, int checked, int inSync, List<Drift> drifts) {
}
