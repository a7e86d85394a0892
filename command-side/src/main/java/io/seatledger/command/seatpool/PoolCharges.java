package io.seatledger.command.seatpool;

import io.seatledger.command.pricing.Proration;
import io.seatledger.command.pricing.SeatPrice;
import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.ProrationBehavior;
import io.seatledger.messages.seatpool.ResizeTiming;

import java.time.Instant;

/**
 * The amounts a pool's events carry. A pool bought without Stripe Checkout is invoiced by its vendor from these
 * charges (each period, each prorated resize); a refund is recorded as a negative charge for any pool.
 */
final class PoolCharges {

    private PoolCharges() {
    }

    /** What {@code seats} cost for {@code period} (for an order, which has none: once, from {@code at} on). */
    static Charge forPeriod(Pricing pricing, int seats, BillingPeriod period, Instant at) {
        return new Charge(seats, SeatPrice.amountFor(pricing, seats), pricing.currency(), period == null ? at : period.start(),
                period == null ? null : period.end());
    }

    /** The prorated difference for the rest of {@code period} when a pool is resized now; null when none is due. */
    static Charge forResize(Pricing pricing, BillingPeriod period, int fromSeats, int toSeats, ProrationBehavior proration, Instant now) {
        if (proration == ProrationBehavior.NONE || period == null) {
            return null;
        }
        long amount = Proration.preview(pricing, fromSeats, toSeats, period, ResizeTiming.NOW, now).prorationAmount();
        return amount == 0 ? null : new Charge(toSeats, amount, pricing.currency(), now, period.end());
    }

    /** A refund of {@code amount} for a pool of {@code seats}, in the payment's currency (the pool's when not reported). */
    static Charge refund(int seats, long amount, String paymentCurrency, Pricing pricing) {
        return new Charge(seats, -amount, paymentCurrency == null ? pricing.currency() : paymentCurrency, null, null);
    }
}
