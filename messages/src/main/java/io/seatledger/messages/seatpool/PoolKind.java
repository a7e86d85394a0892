package io.seatledger.messages.seatpool;

/** A subscription renews every billing interval and can be resized; an order is a one-time purchase of fixed size. */
public enum PoolKind {
    SUBSCRIPTION,
    ORDER
}
