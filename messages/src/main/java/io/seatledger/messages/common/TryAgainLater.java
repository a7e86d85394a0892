package io.seatledger.messages.common;

import java.time.Duration;

/**
 * A request refused because a bounded resource is in use (429) or full (503), not because of what it asks: the
 * same request may succeed after {@link #retryAfter()}, which the HTTP layer sends as {@code Retry-After}.
 */
public class TryAgainLater extends SeatLedgerException {

    private final Duration retryAfter;

    public TryAgainLater(ErrorCode code, String detail, Duration retryAfter) {
        super(code, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
