package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** An invitation was not claimed in time; the seat's capacity is free again. */
public record SeatExpired(String poolId, String orgId, String seatId, Instant expiredAt) implements OrganizationEvent {
}
