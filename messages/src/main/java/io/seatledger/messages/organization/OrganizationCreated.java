package io.seatledger.messages.organization;

public record OrganizationCreated(String orgId, String name, BillingManager billingManager) {
}
