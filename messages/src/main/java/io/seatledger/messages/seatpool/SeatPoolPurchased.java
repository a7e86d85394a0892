package io.seatledger.messages.seatpool;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.pricing.Pricing;
import java.time.Instant;

/**
 * A pool of seats was bought. {@code charge}: the first period's charge (the whole order, for an order) of a manually
 * invoiced pool; null for a pool paid in Stripe and in events recorded before charges were.
 */
public record SeatPoolPurchased(String poolId, String orgId, PoolKind kind, int capacity, Pricing pricing, BillingInterval interval, PoolStatus status, BillingPeriod currentPeriod, StripeSubscription stripe, Instant purchasedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Charge charge) implements OrganizationEvent {

    /** As recorded before events carried their charge. */
    public SeatPoolPurchased(String poolId, String orgId, PoolKind kind, int capacity, Pricing pricing, BillingInterval interval, PoolStatus status, BillingPeriod currentPeriod, StripeSubscription stripe, Instant purchasedAt) {
        this(poolId, orgId, kind, capacity, pricing, interval, status, currentPeriod, stripe, purchasedAt, null);
    }
}
