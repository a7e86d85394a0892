package io.seatledger.projections.positions;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Tells each event's own global index to the projections (as {@link #METADATA_KEY} metadata) where its token does
 * not tell it: an event committed after events with higher indexes (concurrent transactions, other
 * instances) fills a gap of the gap-aware token, and its token keeps the highest index seen. Used as a
 * position that event would take another event's place. Its own index is the gap its token no longer has, unless
 * the store dropped old gaps from the token at the same step (Axon cleans gaps that stayed open past its gap timeout
 * once a token holds more than 250): then several gaps are gone and the index is asked of the store by the event's
 * id. Tokens of other stores (Axon Server's global sequence) are exact and pass unchanged.
 */
public final class GlobalIndexes extends EventSourceDecorator {

    public static final String METADATA_KEY = "seatledger.globalIndex";

    /** The global index the store gave an event, by the event's id; empty when it holds no such event. */
    @FunctionalInterface
    public interface StoredIndexes {
        OptionalLong of(String eventIdentifier);
    }

    private final StoredIndexes stored;

    public GlobalIndexes(StreamableMessageSource<TrackedEventMessage<?>> events, StoredIndexes stored) {
        super(events);
        this.stored = stored;
    }

    /** Asks the JDBC store's events table (its event identifiers are unique, hence indexed). */
    public static StoredIndexes storedIn(JdbcTemplate jdbc) {
        return eventIdentifier -> jdbc.query("select global_index from events.domain_event_entry where event_identifier = ?",
                rows -> rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty(), eventIdentifier);
    }

    /**
     * The index of the event whose token is {@code current}, the token before it being {@code previous} (null at the
     * start), as far as the tokens tell it: empty for exact tokens, and when the tokens cannot tell (several gaps gone).
     */
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

    /** The event's own index: from the tokens where they tell it, else from the store; empty for exact tokens. */
    public Optional<Long> indexOf(TrackingToken previous, TrackedEventMessage<?> event) {
        Optional<Long> told = indexOf(previous, event.trackingToken());
        if (told.isPresent() || !(event.trackingToken() instanceof GapAwareTrackingToken)) {
            return told;
        }
        OptionalLong index = stored.of(event.getIdentifier());
        if (index.isEmpty()) {
            throw new IllegalStateException("event " + event.getIdentifier() + " was streamed from the store but is not in it");
        }
        return Optional.of(index.getAsLong());
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new Indexed(events.openStream(trackingToken), trackingToken);
    }

    private final class Indexed implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        private TrackingToken last;

        Indexed(BlockingStream<TrackedEventMessage<?>> stream, TrackingToken start) {
            this.stream = stream;
            this.last = start;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> event = stream.nextAvailable();
            Optional<Long> index = indexOf(last, event);
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
