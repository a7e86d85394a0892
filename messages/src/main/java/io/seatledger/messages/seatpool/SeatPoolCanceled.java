package io.seatledger.messages.seatpool;

import java.time.Instant;

/** The pool was canceled; its seats are revoked by the events that follow. */
public record SeatPoolCanceled(String poolId, String orgId, Instant canceledAt) {
}
