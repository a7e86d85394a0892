package io.seatledger.messages.seatpool;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.messages.pricing.Charge;
import java.time.Instant;

/**
 * The pool's capacity changed. {@code charge}: the prorated difference a manually invoiced pool owes (negative: is
 * credited) for the rest of its period; null without proration, for a pool Stripe bills, and in older events.
 */
public record SeatPoolResized(String poolId, String orgId, int previousCapacity, int capacity, ProrationBehavior prorationBehavior, Instant resizedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Charge charge) implements OrganizationEvent {

    /** As recorded before events carried their charge. */
    public SeatPoolResized(String poolId, String orgId, int previousCapacity, int capacity, ProrationBehavior prorationBehavior, Instant resizedAt) {
        this(poolId, orgId, previousCapacity, capacity, prorationBehavior, resizedAt, null);
    }
}
