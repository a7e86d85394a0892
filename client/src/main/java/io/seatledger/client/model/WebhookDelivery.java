package io.seatledger.client.model;

import java.time.Instant;

/** One event's delivery to an endpoint: its attempts, the last answer's status (null: none, e.g. a timeout) and what comes next. */
public record WebhookDelivery(String deliveryId, String eventType, long position, String status, int attempts, Integer lastStatus,
                              String lastError, Instant createdAt, Instant lastAttemptAt, Instant nextAttemptAt, Instant deliveredAt) {
}
