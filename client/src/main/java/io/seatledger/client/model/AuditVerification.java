package io.seatledger.client.model;

/** The verification of an organization's audit chain. */
public record AuditVerification(boolean valid, long entries, String headHash, Long firstInvalidPosition) {
}
