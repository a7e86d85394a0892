package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves a seat to another person: the old seat ends, a new pending seat opens for the new e-mail; capacity is unchanged. */
public record TransferSeat(@TargetAggregateIdentifier String poolId, String orgId, String seatId, String newSeatId, String newEmail) implements BillingManagerCommand {
}
