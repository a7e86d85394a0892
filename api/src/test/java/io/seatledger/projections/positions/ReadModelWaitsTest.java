package io.seatledger.projections.positions;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** How far a segment has applied every stored event: its position, unless a gap below it stands for an event stored meanwhile. */
class ReadModelWaitsTest {

    private static ReadModelWaits.SegmentProgress at(long position, Long... gaps) {
        return new ReadModelWaits.SegmentProgress(position, new TreeSet<>(Set.of(gaps)));
    }

    @Test
    void withoutGapsEverythingUpToThePositionIsApplied() {
        assertThat(ReadModelWaits.appliedThrough(at(41), Set.of())).isEqualTo(41);
    }

    @Test
    void aGapWhoseEventIsNotStoredHoldsNothingBack() {
        // a rolled-back insert's index, or a transaction still running: nothing a client has seen
        assertThat(ReadModelWaits.appliedThrough(at(41, 7L, 30L), Set.of())).isEqualTo(41);
    }

    @Test
    void aGapWhoseEventIsStoredNowIsNotAppliedYet() {
        assertThat(ReadModelWaits.appliedThrough(at(41, 7L, 30L), Set.of(30L))).isEqualTo(29);
        assertThat(ReadModelWaits.appliedThrough(at(41, 7L, 30L), Set.of(7L, 30L))).isEqualTo(6);
    }
}
