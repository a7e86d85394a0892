package io.seatledger.messages.seatpool;


/** A seat just assigned (or re-invited), with its invitation when one was issued. */
public record SeatAssignment(String seatId, String email, SeatStatus status, Invitation invitation) {
}
