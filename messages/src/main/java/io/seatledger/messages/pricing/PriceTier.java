package io.seatledger.messages.pricing;

/**
 * One price tier in integer minor units. {@code upTo} is the last seat count the tier covers,
 * {@code null} for the open-ended last tier. {@code flatAmount} is added once when the tier is reached.
 */
public record PriceTier(Long upTo, long unitAmount, long flatAmount) {
}
