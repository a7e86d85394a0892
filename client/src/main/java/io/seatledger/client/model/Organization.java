package io.seatledger.client.model;

/** An organization: its id, name and billing manager. */
public record Organization(String orgId, String name, BillingManager billingManager) {
}
