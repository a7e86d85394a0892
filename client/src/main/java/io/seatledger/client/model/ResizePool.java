package io.seatledger.client.model;

/** The body of a resize: the new number of seats, when, and how it is prorated. */
public record ResizePool(int seats, ResizeTiming effective, ProrationBehavior prorationBehavior) {

    public static ResizePool now(int seats) {
        return new ResizePool(seats, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS);
    }
}
