package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/**
 * A newer resize replaced the change that was scheduled for the period's end ({@code seats} at {@code effectiveAt}):
 * that change will not apply. Recorded just before the resize that replaced it.
 */
public record ScheduledResizeReplaced(String poolId, String orgId, int seats, Instant effectiveAt, Instant replacedAt) implements OrganizationEvent {
}
