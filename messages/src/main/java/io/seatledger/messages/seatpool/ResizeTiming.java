package io.seatledger.messages.seatpool;

/** When a resize takes effect: now (prorated) or at the end of the current period. */
public enum ResizeTiming {
    NOW,
    PERIOD_END
}
