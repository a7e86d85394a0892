package io.seatledger.messages.seatpool;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.messages.pricing.Charge;
import java.time.Instant;

/**
 * The provider refunded part or all of a payment of the pool: {@code amountRefunded} of {@code amount} (minor units of
 * {@code currency}) in total so far. A full refund of an order cancels the pool (the events that follow). {@code charge}:
 * this refund as a negative line, what it added to the amount refunded before; null in older events.
 */
public record PaymentRefunded(String poolId, String orgId, String chargeId, long amount, long amountRefunded, String currency, boolean full,
                              Instant at,
        @JsonInclude(JsonInclude.Include.NON_NULL) Charge charge) implements OrganizationEvent {

    /** As recorded before events carried their charge. */
    public PaymentRefunded(String poolId, String orgId, String chargeId, long amount, long amountRefunded, String currency, boolean full, Instant at) {
        this(poolId, orgId, chargeId, amount, amountRefunded, currency, full, at, null);
    }
}
