package io.seatledger.api.support;

import io.seatledger.messages.seatpool.*;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.HashMap;
import java.util.Map;

/** A pool's counts folded straight from its stored events: the oracle every read model must match. */
public final class EventRecount {

    private EventRecount() {
    }

    /** capacity, pending, claimed (integers) and status (name), keyed as the read model's columns. */
    public static Map<String, Object> of(EventStore eventStore, String poolId) {
        int capacity = 0;
        String status = null;
        Map<String, SeatStatus> seats = new HashMap<>();
        for (DomainEventMessage<?> message : eventStore.readEvents(poolId).asStream().toList()) {
            Object event = message.getPayload();
            if (event instanceof SeatPoolPurchased purchased) {
                capacity = purchased.capacity();
                status = purchased.status().name();
            } else if (event instanceof SeatPoolResized resized) {
                capacity = resized.capacity();
            } else if (event instanceof SeatCapacityForced forced) {
                capacity = forced.capacity();
            } else if (event instanceof SeatPoolCanceled) {
                status = PoolStatus.CANCELED.name();
            } else if (event instanceof SeatAssigned assigned) {
                seats.put(assigned.seatId(), SeatStatus.PENDING);
            } else if (event instanceof SeatClaimed claimed) {
                seats.put(claimed.seatId(), SeatStatus.CLAIMED);
            } else if (event instanceof SeatRevoked revoked) {
                seats.put(revoked.seatId(), SeatStatus.REVOKED);
            } else if (event instanceof SeatExpired expired) {
                seats.put(expired.seatId(), SeatStatus.EXPIRED);
            } else if (event instanceof SeatTransferred transferred) {
                seats.put(transferred.fromSeatId(), SeatStatus.REVOKED);
                seats.put(transferred.toSeatId(), SeatStatus.PENDING);
            }
        }
        long pending = seats.values().stream().filter(s -> s == SeatStatus.PENDING).count();
        long claimed = seats.values().stream().filter(s -> s == SeatStatus.CLAIMED).count();
        return Map.of("capacity", capacity, "pending", (int) pending, "claimed", (int) claimed, "status", status);
    }
}
