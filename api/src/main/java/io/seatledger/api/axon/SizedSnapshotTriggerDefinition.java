package io.seatledger.api.axon;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.AbstractSnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;

import java.util.function.ToLongFunction;

/**
 * Snapshots an aggregate once the events since its last snapshot reach the larger of a fixed threshold and the size
 * (for a pool: its seats) the last snapshot held.
 *
 * <p>A fixed count of events snapshots a growing pool every 10,000 events and writes its whole state each time, so
 * filling a pool cost work that grew with the square of its size: a 100,000-seat import wrote ten snapshots of
 * 10,000 to 100,000 seats (550,000 seats serialized, 7 % of the import's CPU). Scaled by the size, the snapshots
 * written while a pool grows add up to about twice its final size, and loading a pool whose snapshot was found
 * replays at most as many events as the snapshot holds seats, or the threshold, whichever is larger.
 */
public final class SizedSnapshotTriggerDefinition implements SnapshotTriggerDefinition {

    private final Snapshotter snapshotter;
    private final ToLongFunction<String> sizeAtLastSnapshot;
    private final int threshold;

    /**
     * @param sizeAtLastSnapshot the size of an aggregate's last snapshot by its identifier, 0 when not known
     * @param threshold          the fewest events between two snapshots
     */
    public SizedSnapshotTriggerDefinition(Snapshotter snapshotter, ToLongFunction<String> sizeAtLastSnapshot, int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("the threshold must be at least 1, not " + threshold);
        }
        this.snapshotter = snapshotter;
        this.sizeAtLastSnapshot = sizeAtLastSnapshot;
        this.threshold = threshold;
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new SizedTrigger(snapshotter, aggregateType, sizeAtLastSnapshot, threshold);
    }

    /** A trigger kept with a cached aggregate counts on where it left off. */
    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof SizedTrigger sized) {
            sized.setSnapshotter(snapshotter);
            sized.sizeAtLastSnapshot = sizeAtLastSnapshot;
            return sized;
        }
        return prepareTrigger(aggregateType);
    }

    private static final class SizedTrigger extends AbstractSnapshotTrigger {

        private static final long serialVersionUID = 1L;

        private final int threshold;
        private transient ToLongFunction<String> sizeAtLastSnapshot;
        private String aggregateId;
        private int eventsSinceSnapshot;

        SizedTrigger(Snapshotter snapshotter, Class<?> aggregateType, ToLongFunction<String> sizeAtLastSnapshot, int threshold) {
            super(snapshotter, aggregateType);
            this.sizeAtLastSnapshot = sizeAtLastSnapshot;
            this.threshold = threshold;
        }

        @Override
        public void eventHandled(EventMessage<?> event) {
            if (event instanceof DomainEventMessage<?> domainEvent) {
                aggregateId = domainEvent.getAggregateIdentifier();
            }
            super.eventHandled(event);
        }

        @Override
        protected boolean exceedsThreshold() {
            eventsSinceSnapshot++;
            if (eventsSinceSnapshot < threshold) {
                return false;
            }
            return eventsSinceSnapshot >= (sizeAtLastSnapshot == null ? 0 : sizeAtLastSnapshot.applyAsLong(aggregateId));
        }

        @Override
        protected void reset() {
            eventsSinceSnapshot = 0;
        }
    }
}
