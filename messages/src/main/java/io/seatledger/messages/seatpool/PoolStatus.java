package io.seatledger.messages.seatpool;

public enum PoolStatus {
    AWAITING_PAYMENT,
    ACTIVE,
    PAST_DUE,
    CANCELED
}
