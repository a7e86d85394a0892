package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** A seat holder took up the seat. */
public record SeatClaimed(String poolId, String orgId, String seatId, String holderUserId, Instant claimedAt) implements OrganizationEvent {
}
