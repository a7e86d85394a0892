package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ErrorCode;

/** One row of a bulk assignment that was not assigned, by its index in the request. */
public record SeatRejection(int index, String email, ErrorCode code) {
}
