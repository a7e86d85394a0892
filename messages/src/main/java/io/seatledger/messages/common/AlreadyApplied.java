package io.seatledger.messages.common;

/**
 * The answer to a command whose request id was already handled: nothing new was recorded.
 * The HTTP layer replays its stored first response; every other caller only learns it is done.
 */
public record AlreadyApplied(String requestId) {
}
