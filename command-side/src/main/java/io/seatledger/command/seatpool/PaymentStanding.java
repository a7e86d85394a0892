package io.seatledger.command.seatpool;

import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.SuspensionCause;

import java.util.Map;
import java.util.Set;

/**
 * Where a pool stands with its payments: why it is suspended (an unpaid renewal, disputes open over its payments)
 * and how much of each payment was refunded. A suspension lifts only when its last cause goes; a refund counts once
 * per increase of the refunded amount, so the provider may report a payment any number of times.
 */
record PaymentStanding(boolean unpaid, Set<String> openDisputes, Map<String, Long> refunded) {

    /** What the provider refunded of this payment since the pool last recorded it (0 when nothing more). */
    long newlyRefunded(PaymentState payment) {
        return Math.max(0, payment.amountRefunded() - refunded.getOrDefault(payment.chargeId(), 0L));
    }

    /** Whether this dispute keeps the pool suspended. */
    boolean isOpen(String disputeId) {
        return openDisputes.contains(disputeId);
    }

    /** The pool's status once {@code cause} (for a dispute: that dispute, open) no longer holds. */
    PoolStatus statusWithout(SuspensionCause cause, String disputeId) {
        boolean otherCauses = cause == SuspensionCause.UNPAID ? !openDisputes.isEmpty() : unpaid || openDisputes.size() > 1;
        return otherCauses ? PoolStatus.SUSPENDED : PoolStatus.ACTIVE;
    }
}
