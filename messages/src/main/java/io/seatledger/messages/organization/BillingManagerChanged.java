package io.seatledger.messages.organization;

import io.seatledger.messages.common.OrganizationEvent;

public record BillingManagerChanged(String orgId, BillingManager previous, BillingManager billingManager) implements OrganizationEvent {
}
