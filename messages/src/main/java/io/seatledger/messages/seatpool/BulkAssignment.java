package io.seatledger.messages.seatpool;

import java.util.List;

/** What a bulk assignment did, row by row. */
public record BulkAssignment(List<SeatAssignment> assigned, List<SeatRejection> rejected) {
}
