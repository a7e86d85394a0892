package io.seatledger.projections.positions;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Tells each event's own global index to the projections (as {@link #METADATA_KEY} metadata) where its token does
 * not tell it: an event committed after events with higher indexes (concurrent transactions, other
 * instances) fills a gap of the gap-aware token, and its token keeps the highest index seen. Used as a
 * position that event would take another event's place. Its own index is the gap its token no longer has.
 * Tokens of other stores (Axon Server's global sequence) are exact and pass unchanged.
 */
public final class GlobalIndexes extends EventSourceDecorator {

    public static final String METADATA_KEY = "seatledger.globalIndex";

    public GlobalIndexes(StreamableMessageSource<TrackedEventMessage<?>> events) {
        super(events);
    }

    /** The index of the event whose token is {@code current}, the token before it being {@code previous} (null at the start). */
    public static Optional<Long> indexOf(TrackingToken previous, TrackingToken current) {
        if (!(current instanceof GapAwareTrackingToken now)) {
            return Optional.empty();
        }
        if (previous instanceof GapAwareTrackingToken before && now.getIndex() <= before.getIndex()) {
            TreeSet<Long> filled = new TreeSet<>(before.getGaps());
            filled.removeAll(now.getGaps());
            return filled.size() == 1 ? Optional.of(filled.first()) : Optional.empty();
        }
        return Optional.of(now.getIndex());
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new Indexed(events.openStream(trackingToken), trackingToken);
    }

    private static final class Indexed implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        private TrackingToken last;

        Indexed(BlockingStream<TrackedEventMessage<?>> stream, TrackingToken start) {
            this.stream = stream;
            this.last = start;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> event = stream.nextAvailable();
            Optional<Long> index = indexOf(last, event.trackingToken());
            last = event.trackingToken();
            // Almost every event's token already holds its index; copying the metadata of each (reading it first)
            // was a sixth of what the processors allocated in a bulk import.
            if (index.isEmpty() || index.get() == event.trackingToken().position().orElse(-1)) {
                return event;
            }
            EventMessage<?> indexed = event.andMetaData(Map.of(METADATA_KEY, index.get()));
            return indexed instanceof TrackedEventMessage<?> tracked ? tracked : new GenericTrackedEventMessage<>(event.trackingToken(), indexed);
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return stream.hasNextAvailable(timeout, unit);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return stream.setOnAvailableCallback(callback);
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
