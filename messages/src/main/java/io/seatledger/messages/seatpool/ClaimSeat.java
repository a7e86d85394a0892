package io.seatledger.messages.seatpool;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A seat holder claims the seat an invitation opens. The token itself never reaches the write model, only its hash. */
public record ClaimSeat(@TargetAggregateIdentifier String poolId, String seatId, String invitationTokenHash, String userId, String email, boolean requireEmailMatch) {
}
