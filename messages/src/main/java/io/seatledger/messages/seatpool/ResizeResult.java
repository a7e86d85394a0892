package io.seatledger.messages.seatpool;

/** What a resize request led to, and the pool after it. */
public record ResizeResult(ResizeOutcome outcome, PoolState pool) {
}
