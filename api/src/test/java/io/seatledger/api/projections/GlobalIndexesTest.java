package io.seatledger.api.projections;

import io.seatledger.projections.positions.GlobalIndexes;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An event's own global index, read from the gap-aware tokens of the JDBC store. */
class GlobalIndexesTest {

    @Test
    void anEventThatFillsAGapIsAtTheGapNotAtTheHighestIndexSeen() {
        GapAwareTrackingToken seen = GapAwareTrackingToken.newInstance(10, List.of(7L, 9L));
        GapAwareTrackingToken afterNine = seen.advanceTo(9, 10_000);
        assertThat(afterNine.getIndex()).as("the token keeps the highest index").isEqualTo(10);
        assertThat(GlobalIndexes.indexOf(seen, afterNine)).contains(9L);
        GapAwareTrackingToken afterEleven = afterNine.advanceTo(11, 10_000);
        assertThat(GlobalIndexes.indexOf(afterNine, afterEleven)).contains(11L);
        assertThat(GlobalIndexes.indexOf(null, GapAwareTrackingToken.newInstance(3, List.of()))).contains(3L);
        assertThat(GlobalIndexes.indexOf(null, new GlobalSequenceTrackingToken(5))).as("exact tokens need nothing").isEmpty();
    }
}
