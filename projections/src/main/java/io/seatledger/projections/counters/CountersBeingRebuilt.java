package io.seatledger.projections.counters;

/**
 * An event reached the counters while they are copied from PostgreSQL: its batch fails and the processor
 * retries it once the copy is done, where the position guard applies what the copy did not hold.
 */
public class CountersBeingRebuilt extends IllegalStateException {

    public CountersBeingRebuilt() {
        super("the Redis counters are being rebuilt; the event is applied after the copy");
    }
}
