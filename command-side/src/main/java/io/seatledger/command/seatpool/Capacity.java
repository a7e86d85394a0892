package io.seatledger.command.seatpool;

/**
 * A pool's seats against the pending and claimed ones that occupy them: the arithmetic every assignment and resize
 * decides by. Seats in use are never taken away by a manager's resize; only the billing provider can force a
 * capacity below them, which leaves the pool over-allocated until seats are freed.
 */
record Capacity(int seats, int occupied) {

    /** How many more seats can be given out. */
    int free() {
        return seats - occupied;
    }

    /** Refuses a manager's resize to fewer seats than are in use. */
    void requireRoomFor(int newSeats) {
        if (newSeats < occupied) {
            throw Rejection.RESIZE_BELOW_OCCUPIED.exception(newSeats, occupied);
        }
    }

    /** A capacity decided earlier, raised to the seats in use now. */
    int keepingSeatsInUse(int decided) {
        return Math.max(decided, occupied);
    }

    /** How many seats in use exceed {@code newSeats}. */
    int overAllocationAt(int newSeats) {
        return Math.max(0, occupied - newSeats);
    }
}
