package io.seatledger.messages.seatpool;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.messages.pricing.Charge;

/**
 * The pool entered its next billing period. {@code charge}: that period's charge, at the capacity it starts with, of a
 * manually invoiced pool; null for a pool Stripe bills and in older events.
 */
public record BillingPeriodRenewed(String poolId, String orgId, BillingPeriod period,
        @JsonInclude(JsonInclude.Include.NON_NULL) Charge charge) implements OrganizationEvent {

    /** As recorded before events carried their charge. */
    public BillingPeriodRenewed(String poolId, String orgId, BillingPeriod period) {
        this(poolId, orgId, period, null);
    }
}
