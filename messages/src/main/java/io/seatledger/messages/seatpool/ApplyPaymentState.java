package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Brings the pool in line with one of its payments as the provider holds it now: refunds and disputes. */
public record ApplyPaymentState(@TargetAggregateIdentifier String poolId, String orgId, PaymentState payment) implements ProviderCommand {
}
