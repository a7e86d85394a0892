package io.seatledger.messages.organization;

import io.seatledger.messages.common.OrganizationEvent;

public record OrganizationCreated(String orgId, String name, BillingManager billingManager) implements OrganizationEvent {
}
