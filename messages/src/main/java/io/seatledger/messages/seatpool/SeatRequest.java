package io.seatledger.messages.seatpool;

import java.util.Map;

/** One seat of a bulk assignment. */
public record SeatRequest(String seatId, String email, boolean immediateClaim, Map<String, String> metadata) {
}
