package io.seatledger.messages.organization;

public record BillingManagerChanged(String orgId, BillingManager previous, BillingManager billingManager) {
}
