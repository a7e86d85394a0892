package io.seatledger.api.projections;

import io.seatledger.projections.positions.GlobalIndexes;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * The store dropped an old gap (open past its gap timeout) from the token in the step where an event filled another:
     * two gaps are gone, the tokens cannot tell which one was the event's, and the store is asked. Taking the token's
     * highest index instead gave the event another event's position, and the audit trail dropped its entry.
     */
    @Test
    void whenTheStoreDroppedAnOldGapInTheSameStepTheIndexIsAskedOfTheStore() {
        GapAwareTrackingToken seen = GapAwareTrackingToken.newInstance(20, List.of(3L, 12L, 13L));
        GapAwareTrackingToken afterTwelve = seen.withGapsTruncatedAt(4).advanceTo(12, 10_000);
        assertThat(GlobalIndexes.indexOf(seen, afterTwelve)).as("two gaps gone: the tokens cannot tell").isEmpty();

        GenericEventMessage<String> event = new GenericEventMessage<>("payload");
        GlobalIndexes indexes = new GlobalIndexes(new EmptyStore(),
                eventId -> eventId.equals(event.getIdentifier()) ? OptionalLong.of(12) : OptionalLong.empty());
        assertThat(indexes.indexOf(seen, new GenericTrackedEventMessage<>(afterTwelve, event))).contains(12L);
        assertThat(indexes.indexOf(afterTwelve, new GenericTrackedEventMessage<>(afterTwelve.advanceTo(21, 10_000), event)))
                .as("the tokens tell, the store is not asked").contains(21L);
        GapAwareTrackingToken lost = GapAwareTrackingToken.newInstance(20, List.of());
        assertThatThrownBy(() -> indexes.indexOf(seen, new GenericTrackedEventMessage<>(lost, new GenericEventMessage<>("other"))))
                .isInstanceOf(IllegalStateException.class);
    }

    /** A store with no events: these tests give the tokens and events themselves. */
    private static final class EmptyStore implements StreamableMessageSource<TrackedEventMessage<?>> {
        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
            throw new UnsupportedOperationException("not streamed in these tests");
        }
    }
}
