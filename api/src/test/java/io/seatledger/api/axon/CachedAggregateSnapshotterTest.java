package io.seatledger.api.axon;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool already waiting for its snapshot is not queued again: triggers that fire while the single snapshot thread
 * lags do not pile up whole-pool snapshots; once its snapshot has started, the pool may be queued anew.
 */
class CachedAggregateSnapshotterTest {

    private final List<Runnable> waiting = new ArrayList<>();
    private final CachedAggregateSnapshotter snapshotter = new CachedAggregateSnapshotter(type -> {
        throw new IllegalStateException("no repository here: the snapshot itself fails and is logged");
    }, null, waiting::add, root -> 0);

    @Test
    void aPoolWaitingForItsSnapshotIsQueuedOnce() {
        for (int i = 0; i < 5; i++) {
            snapshotter.scheduleSnapshot(Object.class, "pool-1");
        }
        snapshotter.scheduleSnapshot(Object.class, "pool-2");
        assertThat(waiting).hasSize(2);

        waiting.get(0).run();
        snapshotter.scheduleSnapshot(Object.class, "pool-1");
        snapshotter.scheduleSnapshot(Object.class, "pool-2");
        assertThat(waiting).as("pool-1 queued anew once its snapshot started; pool-2 still waits").hasSize(3);
        assertThat(snapshotter.sizeAtLastSnapshot("pool-1")).as("a failed snapshot remembers no size").isZero();
    }
}
