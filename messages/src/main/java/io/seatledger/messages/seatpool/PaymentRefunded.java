package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/**
 * The provider refunded part or all of a payment of the pool: {@code amountRefunded} of {@code amount} (minor units of
 * {@code currency}) in total so far. A full refund of an order cancels the pool (the events that follow).
 */
public record PaymentRefunded(String poolId, String orgId, String chargeId, long amount, long amountRefunded, String currency, boolean full,
                              Instant at) implements OrganizationEvent {
}
