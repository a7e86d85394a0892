package io.seatledger.projections;

import org.axonframework.eventhandling.TrackingToken;

/** The global position of the event being handled: what every read-model row records as last applied. */
public final class EventPosition {

    private EventPosition() {
    }

    public static long of(TrackingToken token) {
        return token.position().orElseThrow(() -> new IllegalStateException("a streaming processor always knows the event's position"));
    }
}
