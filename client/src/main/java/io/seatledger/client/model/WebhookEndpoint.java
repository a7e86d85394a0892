package io.seatledger.client.model;

import java.time.Instant;
import java.util.List;

/**
 * Where the service sends an organization's events. {@code secret} ({@code whsec_…}, the key of the Standard Webhooks
 * signature) is only in the answers to a creation and a rotation; {@code status} is {@code enabled} or {@code disabled}
 * (with when and why) after deliveries kept failing.
 */
public record WebhookEndpoint(String endpointId, String url, String description, List<String> events, String status, Instant createdAt,
                              Instant disabledAt, String disabledReason, String secret) {
}
