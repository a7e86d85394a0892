package io.seatledger.client.model;

import java.time.Instant;
import java.util.List;

/**
 * Where the service sends an organization's events. {@code secret} ({@code whsec_…}, the key of the Standard Webhooks
 * signature) is only in the answers to a creation and a rotation; {@code status} is {@code enabled} or {@code disabled}
 * (with when and why) after deliveries kept failing. {@code pendingDeliveries} is its backlog; {@code skippedEvents} the
 * events not queued for it because that backlog was full (the last at {@code lastSkippedAt}); neither is in the answers
 * that show the secret.
 */
public record WebhookEndpoint(String endpointId, String url, String description, List<String> events, String status, Instant createdAt,
                              Instant disabledAt, String disabledReason, Integer pendingDeliveries, Long skippedEvents, Instant lastSkippedAt,
                              String secret) {
}
