package io.seatledger.billing.reconciliation;

import java.util.Set;

/**
 * Rebuilds the derived copies of the events a reconciliation found stale, in the background; readers are
 * served meanwhile. The read model comes first: the Redis counters are rebuilt from it.
 */
public interface CacheRepair {

    enum Cache { READ_MODEL, REDIS }

    void rebuild(Set<Cache> stale);
}
