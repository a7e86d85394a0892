package io.seatledger.client.model;

/** The one person per organization who buys and manages its seats. */
public record BillingManager(String userId, String email) {
}
