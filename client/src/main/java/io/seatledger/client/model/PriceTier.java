package io.seatledger.client.model;

/** One price tier in minor units; {@code upTo} is null for the open-ended last tier. */
public record PriceTier(Long upTo, long unitAmount, long flatAmount) {
}
