package io.seatledger.messages.seatpool;


/** A seat just assigned (or re-invited, or opened by a transfer) as the pool holds it, with its invitation when one was issued. */
public record SeatAssignment(SeatState seat, Invitation invitation) {

    public String seatId() {
        return seat.seatId();
    }

    public String email() {
        return seat.email();
    }

    public SeatStatus status() {
        return seat.status();
    }
}
