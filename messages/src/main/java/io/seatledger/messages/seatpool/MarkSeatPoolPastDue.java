package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A renewal payment failed; entitlement lasts until the grace period ends. */
public record MarkSeatPoolPastDue(@TargetAggregateIdentifier String poolId, String orgId, Instant graceEndsAt) implements ProviderCommand {
}
