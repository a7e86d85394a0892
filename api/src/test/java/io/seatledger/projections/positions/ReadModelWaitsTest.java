package io.seatledger.projections.positions;

import org.axonframework.eventhandling.Segment;
import org.junit.jupiter.api.Test;

import java.util.Map;
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

    @Test
    void anOrganizationWaitsOnlyForTheSegmentHoldingItsEvents() {
        Segment[] halves = Segment.ROOT_SEGMENT.split();
        String organization = "org-a";
        Segment holding = halves[0].matches(organization) ? halves[0] : halves[1];
        Segment other = holding == halves[0] ? halves[1] : halves[0];
        Map<Segment, ReadModelWaits.SegmentProgress> segments = Map.of(holding, at(50), other, at(12));
        assertThat(ReadModelWaits.appliedThrough(segments, organization, Set.of())).isEqualTo(50);
        assertThat(ReadModelWaits.appliedThrough(segments, null, Set.of())).as("every segment").isEqualTo(12);
        assertThat(ReadModelWaits.appliedThrough(Map.of(), organization, Set.of())).as("no segment known").isEqualTo(-1);
    }
}
