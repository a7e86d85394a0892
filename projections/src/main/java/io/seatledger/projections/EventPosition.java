package io.seatledger.projections;

import io.seatledger.projections.positions.GlobalIndexes;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The global position of the event being handled: what every read-model row records as last applied and the
 * audit trail keys its entries by. It is the event's own index ({@link GlobalIndexes}, on the processors'
 * stream), not its token's position: the token of an event that filled a gap carries a higher index.
 */
public final class EventPosition {

    private EventPosition() {
    }

    public static long of(TrackingToken token) {
        if (CurrentUnitOfWork.isStarted()) {
            Message<?> handled = CurrentUnitOfWork.get().getMessage();
            if (handled != null && handled.getMetaData().get(GlobalIndexes.METADATA_KEY) instanceof Number own) {
                return own.longValue();
            }
        }
        return token.position().orElseThrow(() -> new IllegalStateException("a streaming processor always knows the event's position"));
    }
}
