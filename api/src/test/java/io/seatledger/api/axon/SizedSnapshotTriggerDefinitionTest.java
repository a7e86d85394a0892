package io.seatledger.api.axon;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.Snapshotter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots are spaced by the larger of the threshold and the size of the last snapshot: a pool that grows by one
 * seat an event is snapshotted at doubling sizes, not every threshold events; a pool that stays small still is every
 * threshold events; a cached aggregate's trigger counts on across commands.
 */
class SizedSnapshotTriggerDefinitionTest {

    private static final int THRESHOLD = 100;

    /** Records when a snapshot was asked for, and as the real snapshotter, the size (here: events so far) it held. */
    private final List<Long> snapshotsAt = new ArrayList<>();
    private final Map<String, Long> sizes = new HashMap<>();
    private long eventsSoFar;
    private long seats;
    private final Snapshotter snapshotter = (type, id) -> {
        snapshotsAt.add(eventsSoFar);
        sizes.put(id, seats);
    };
    private final SizedSnapshotTriggerDefinition definition = new SizedSnapshotTriggerDefinition(snapshotter,
            id -> sizes.getOrDefault(id, 0L), THRESHOLD);

    @Test
    void aGrowingPoolIsSnapshottedAtDoublingSizes() {
        SnapshotTrigger trigger = definition.prepareTrigger(Object.class);
        for (int i = 0; i < 10_000; i++) {
            seats++;
            apply(trigger, "pool-a");
        }
        assertThat(snapshotsAt).containsExactly(100L, 200L, 400L, 800L, 1_600L, 3_200L, 6_400L);
        long seatsSerialized = snapshotsAt.stream().mapToLong(Long::longValue).sum();
        assertThat(seatsSerialized).as("at most twice the final size").isLessThanOrEqualTo(2 * seats);
    }

    @Test
    void aPoolThatStaysSmallIsSnapshottedEveryThresholdEvents() {
        SnapshotTrigger trigger = definition.prepareTrigger(Object.class);
        seats = 10;
        for (int i = 0; i < 1_000; i++) {
            apply(trigger, "pool-b");
        }
        assertThat(snapshotsAt).hasSize(10).allMatch(at -> at % THRESHOLD == 0);
    }

    @Test
    void aCachedTriggerCountsOnWhereItLeftOffAndAnUnknownOneStartsAfresh() {
        SnapshotTrigger trigger = definition.prepareTrigger(Object.class);
        seats = 10;
        for (int i = 0; i < 60; i++) {
            apply(trigger, "pool-c");
        }
        SnapshotTrigger cached = definition.reconfigure(Object.class, trigger);
        assertThat(cached).isSameAs(trigger);
        for (int i = 0; i < 40; i++) {
            apply(cached, "pool-c");
        }
        assertThat(snapshotsAt).containsExactly(100L);
        SnapshotTrigger foreign = definition.reconfigure(Object.class, new SnapshotTrigger() {
            @Override
            public void eventHandled(org.axonframework.eventhandling.EventMessage<?> msg) {
            }

            @Override
            public void initializationFinished() {
            }
        });
        assertThat(foreign).isNotNull().isNotSameAs(trigger);
    }

    @Test
    void aThresholdBelowOneIsRefused() {
        assertThatThrownBy(() -> new SizedSnapshotTriggerDefinition(snapshotter, id -> 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private void apply(SnapshotTrigger trigger, String poolId) {
        eventsSoFar++;
        trigger.eventHandled(new GenericDomainEventMessage<>("SeatPool", poolId, eventsSoFar - 1, "event " + eventsSoFar));
    }
}
