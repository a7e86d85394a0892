package io.seatledger.command.seatpool;

import java.util.HashSet;
import java.util.Set;

/**
 * Which new seats one command may add to a pool, asked seat by seat: each must be well formed, have an unused id,
 * be for an address without a seat in use and a holder without a claimed seat, and fit the free capacity. Seats
 * admitted earlier in the same command count as taken, so a bulk assignment cannot give one address two seats.
 */
final class SeatAllocation {

    private final Roster roster;
    private final int free;
    private final Set<String> subjectsAdmitted = new HashSet<>();
    private final Set<String> holdersAdmitted = new HashSet<>();
    private int admitted;

    SeatAllocation(Roster roster, Capacity capacity) {
        this.roster = roster;
        this.free = capacity.free();
    }

    /** Admits the seat and answers null, or answers the first rule it breaks (in the order above) and admits nothing. */
    Rejection admit(NewSeat seat) {
        Rejection refusal = refusalOf(seat);
        if (refusal == null) {
            admitted++;
            subjectsAdmitted.add(seat.subject());
            if (seat.holderUserId() != null) {
                holdersAdmitted.add(seat.holderUserId());
            }
        }
        return refusal;
    }

    private Rejection refusalOf(NewSeat seat) {
        if (!seat.isWellFormed()) {
            return Rejection.SEAT_MALFORMED;
        }
        if (roster.contains(seat.seatId())) {
            return Rejection.SEAT_ID_TAKEN;
        }
        String subject = seat.subject();
        if (roster.occupiedSeatOf(subject) != null || subjectsAdmitted.contains(subject)) {
            return Rejection.ADDRESS_OR_HOLDER_TAKEN;
        }
        String holder = seat.holderUserId();
        if (holder != null && (roster.claimedSeatOf(holder) != null || holdersAdmitted.contains(holder))) {
            return Rejection.ADDRESS_OR_HOLDER_TAKEN;
        }
        if (admitted >= free) {
            return Rejection.POOL_FULL;
        }
        return null;
    }
}
