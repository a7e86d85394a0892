package io.seatledger.messages.pricing;

import java.time.Instant;

/** What a resize would cost: the period amounts before and after, and the prorated difference due now. */
public record ResizePreview(long currentAmount, long newAmount, long prorationAmount, Instant periodEnd, String currency) {
}
