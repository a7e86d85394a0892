package io.seatledger.messages.seatpool;

/** Why a pool is suspended; it becomes active again when every cause is gone. */
public enum SuspensionCause {
    /** The provider gave up collecting a renewal; lifted when the invoice is paid. */
    UNPAID,
    /** A payment of the pool is disputed; lifted when the dispute is won (or the inquiry closes). */
    DISPUTE
}
