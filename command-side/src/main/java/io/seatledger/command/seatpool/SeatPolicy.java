package io.seatledger.command.seatpool;

import java.time.Duration;

/** Configurable limits of the seat rules. */
public record SeatPolicy(Duration invitationValidity, int maxBulkSeats) {

    public static final SeatPolicy DEFAULT = new SeatPolicy(Duration.ofDays(7), 10_000);
}
