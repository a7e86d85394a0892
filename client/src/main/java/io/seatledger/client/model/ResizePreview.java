package io.seatledger.client.model;

import java.time.Instant;

/** What a resize would cost: the period amounts before and after and the prorated difference. */
public record ResizePreview(long currentAmount, long newAmount, long prorationAmount, Instant periodEnd, String currency) {
}
