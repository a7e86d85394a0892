package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;

/** The pool entered its next billing period. */
public record BillingPeriodRenewed(String poolId, String orgId, BillingPeriod period) implements OrganizationEvent {
}
