package io.seatledger.client;

/**
 * The service did not answer: the connection failed or timed out on every attempt the retry policy allowed. For a
 * command this does not say whether it was stored; repeating the same call object's request with its
 * {@code Idempotency-Key} is safe (the client already did so for as many attempts as allowed).
 */
public class SeatLedgerUnreachable extends SeatLedgerException {

    private final int attempts;

    public SeatLedgerUnreachable(String message, int attempts, Throwable cause) {
        super(message + " (" + attempts + " attempt" + (attempts == 1 ? "" : "s") + ")", cause);
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
