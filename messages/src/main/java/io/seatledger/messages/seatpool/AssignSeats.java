package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Assigns many seats in one decision: all or none when atomic, else each row on its own merits. */
public record AssignSeats(@TargetAggregateIdentifier String poolId, String orgId, List<SeatRequest> seats, boolean atomic) implements BillingManagerCommand {
}
