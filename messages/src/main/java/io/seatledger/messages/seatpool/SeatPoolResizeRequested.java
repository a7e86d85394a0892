package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** A resize of a Stripe-billed pool waits for Stripe to accept it. */
public record SeatPoolResizeRequested(String poolId, String orgId, int seats, ResizeTiming timing, ProrationBehavior prorationBehavior, Instant requestedAt) implements OrganizationEvent {
}
