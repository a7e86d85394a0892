package io.seatledger.messages.organization;

/** What creating an organization answers: the organization as it now stands, and whether this call created it. */
public record OrganizationSummary(String orgId, String name, BillingManager billingManager, boolean created) {
}
