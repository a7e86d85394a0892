package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Brings the pool in line with the billing provider's current state; {@code graceEndsAt} applies if it falls past due now. */
public record ApplyProviderState(@TargetAggregateIdentifier String poolId, String orgId, ProviderState state, Instant graceEndsAt)
        implements ProviderCommand {
}
