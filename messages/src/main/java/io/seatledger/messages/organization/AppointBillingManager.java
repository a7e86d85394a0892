package io.seatledger.messages.organization;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Hands the organization's billing to someone else; only the current billing manager or an admin may. */
public record AppointBillingManager(@TargetAggregateIdentifier String orgId, BillingManager billingManager) {
}
