package io.seatledger.command.pricing;

import io.seatledger.messages.pricing.PriceTier;
import io.seatledger.messages.pricing.Pricing;

/**
 * What a number of seats costs for one period, following Stripe's tier semantics, in minor units. Seats are
 * counted in an {@code int} and {@link Pricing} caps its amounts and tiers, so no price overflows a {@code long};
 * the exact arithmetic still refuses to wrap around should those caps ever change.
 */
public final class SeatPrice {

    private SeatPrice() {
    }

    public static long amountFor(Pricing pricing, int seats) {
        if (seats < 0) {
            throw new IllegalArgumentException("seats must not be negative");
        }
        if (seats == 0) {
            return 0;
        }
        return switch (pricing.tiersMode()) {
            case VOLUME -> volume(pricing, seats);
            case GRADUATED -> graduated(pricing, seats);
        };
    }

    /** Every seat is priced at the tier the total reaches; that tier's flat amount is added once. */
    private static long volume(Pricing pricing, long seats) {
        for (PriceTier tier : pricing.tiers()) {
            if (tier.upTo() == null || seats <= tier.upTo()) {
                return Math.addExact(Math.multiplyExact(seats, tier.unitAmount()), tier.flatAmount());
            }
        }
        throw new IllegalStateException("the last tier is open-ended");
    }

    /** Seats fill the tiers in order; each tier reached adds its seats at its price plus its flat amount. */
    private static long graduated(Pricing pricing, long seats) {
        long amount = 0;
        long lowerBound = 0;
        for (PriceTier tier : pricing.tiers()) {
            long upperBound = tier.upTo() == null ? seats : Math.min(seats, tier.upTo());
            long seatsInTier = upperBound - lowerBound;
            if (seatsInTier <= 0) {
                break;
            }
            amount = Math.addExact(amount, Math.addExact(Math.multiplyExact(seatsInTier, tier.unitAmount()), tier.flatAmount()));
            lowerBound = upperBound;
        }
        return amount;
    }
}
