package io.seatledger.messages.seatpool;

public enum SeatStatus {
    PENDING,
    CLAIMED,
    REVOKED,
    EXPIRED;

    /** Pending and claimed seats use capacity; revoked and expired ones are history. */
    public boolean occupiesCapacity() {
        return this == PENDING || this == CLAIMED;
    }
}
