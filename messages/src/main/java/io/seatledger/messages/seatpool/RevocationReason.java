package io.seatledger.messages.seatpool;

public enum RevocationReason {
    REVOKED_BY_MANAGER,
    SUBSCRIPTION_CANCELED,
    /** The order's payment was refunded in full. */
    ORDER_REFUNDED,
    /** A dispute over the pool's payment was lost: the money went back to the payer. */
    DISPUTE_LOST
}
