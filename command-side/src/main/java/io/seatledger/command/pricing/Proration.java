package io.seatledger.command.pricing;

import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.pricing.ResizePreview;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.ResizeTiming;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Stripe's proration of a mid-period change, to the second: a credit for the unused time on the
 * current amount and a charge for the remaining time on the new amount, each rounded to a whole
 * minor unit, summed.
 */
public final class Proration {

    private Proration() {
    }

    public static ResizePreview preview(Pricing pricing, int currentSeats, int newSeats, BillingPeriod period,
                                       ResizeTiming timing, Instant at) {
        long currentAmount = SeatPrice.amountFor(pricing, currentSeats);
        long newAmount = SeatPrice.amountFor(pricing, newSeats);
        Instant periodEnd = period == null ? null : period.end();
        long proration = timing == ResizeTiming.NOW && period != null
                ? prorate(currentAmount, newAmount, period, at)
                : 0;
        return new ResizePreview(currentAmount, newAmount, proration, periodEnd, pricing.currency());
    }

    static long prorate(long currentAmount, long newAmount, BillingPeriod period, Instant at) {
        long total = period.end().getEpochSecond() - period.start().getEpochSecond();
        long changeAt = Math.max(period.start().getEpochSecond(), Math.min(at.getEpochSecond(), period.end().getEpochSecond()));
        long remaining = period.end().getEpochSecond() - changeAt;
        if (total <= 0 || remaining == 0) {
            return 0;
        }
        long unusedCredit = -share(currentAmount, remaining, total);
        long remainingCharge = share(newAmount, remaining, total);
        return Math.addExact(unusedCredit, remainingCharge);
    }

    private static long share(long amount, long part, long whole) {
        return new BigDecimal(BigInteger.valueOf(amount).multiply(BigInteger.valueOf(part)))
                .divide(BigDecimal.valueOf(whole), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }
}
