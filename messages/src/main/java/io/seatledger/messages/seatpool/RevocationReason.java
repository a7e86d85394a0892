package io.seatledger.messages.seatpool;

public enum RevocationReason {
    REVOKED_BY_MANAGER,
    SUBSCRIPTION_CANCELED
}
