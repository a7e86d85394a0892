package io.seatledger.messages.seatpool;

import java.time.Instant;

/** A seat holder took up the seat. */
public record SeatClaimed(String poolId, String orgId, String seatId, String holderUserId, Instant claimedAt) {
}
