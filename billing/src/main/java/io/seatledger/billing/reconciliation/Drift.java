package io.seatledger.billing.reconciliation;

import java.util.Map;

/** One difference a reconciliation found; {@code local} and {@code remote} are the two views compared. */
public record Drift(String orgId, String poolId, Kind kind, Map<String, Object> local, Map<String, Object> remote, Action action) {

    public enum Kind { QUANTITY_MISMATCH, STATUS_MISMATCH, ORPHAN_LOCAL, ORPHAN_STRIPE, CACHE_DRIFT }

    public enum Action { REPAIRED, NEEDS_REVIEW }
}
