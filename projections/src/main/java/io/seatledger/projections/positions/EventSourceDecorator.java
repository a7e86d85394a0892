package io.seatledger.projections.positions;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;

/** A stream of events that changes how its streams behave, and nothing about where tokens start. */
public abstract class EventSourceDecorator implements StreamableMessageSource<TrackedEventMessage<?>> {

    protected final StreamableMessageSource<TrackedEventMessage<?>> events;

    protected EventSourceDecorator(StreamableMessageSource<TrackedEventMessage<?>> events) {
        this.events = events;
    }

    @Override
    public TrackingToken createTailToken() {
        return events.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return events.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return events.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return events.createTokenSince(duration);
    }
}
