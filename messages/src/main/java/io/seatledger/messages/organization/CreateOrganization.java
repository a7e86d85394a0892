package io.seatledger.messages.organization;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateOrganization(@TargetAggregateIdentifier String orgId, String name, BillingManager billingManager) {
}
