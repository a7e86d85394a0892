package io.seatledger.messages.seatpool;


/** The pool entered its next billing period. */
public record BillingPeriodRenewed(String poolId, String orgId, BillingPeriod period) {
}
