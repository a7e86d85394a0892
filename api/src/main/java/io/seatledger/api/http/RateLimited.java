package io.seatledger.api.http;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;

import java.time.Duration;

/** A request refused by a limit (rate, cost, open streams): 429 {@code RATE_LIMITED} with {@code Retry-After}. */
public class RateLimited extends SeatLedgerException {

    private final Duration retryAfter;

    public RateLimited(String detail, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
