package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** The pool now bills on another interval. */
public record BillingIntervalChanged(String poolId, String orgId, BillingInterval previousInterval, BillingInterval interval, Instant changedAt) implements OrganizationEvent {
}
