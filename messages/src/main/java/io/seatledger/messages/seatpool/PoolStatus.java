package io.seatledger.messages.seatpool;

public enum PoolStatus {
    AWAITING_PAYMENT,
    ACTIVE,
    PAST_DUE,
    /** Payment is in question (Stripe reports the subscription unpaid, or a payment is disputed): seats are kept, none entitles. */
    SUSPENDED,
    CANCELED;

    /**
     * Whether a pool in this status is in service: active, or past due within its grace period (never suspended). Only such a pool's
     * claimed seats entitle, and only in such a pool can an invitation be claimed. The read model's SQL form of this
     * rule is {@code io.seatledger.readmodel.PoolsInService} (module read-model).
     */
    public boolean inService(boolean graceExpired) {
        return this == ACTIVE || this == PAST_DUE && !graceExpired;
    }
}
