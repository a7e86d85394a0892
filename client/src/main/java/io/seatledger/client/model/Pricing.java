package io.seatledger.client.model;

import java.util.List;

/** A seat price: lower-case ISO currency, tier mode and ascending tiers. */
public record Pricing(String currency, TiersMode tiersMode, List<PriceTier> tiers) {

    /** Flat per-seat pricing: one open-ended tier. */
    public static Pricing perSeat(String currency, long unitAmount) {
        return new Pricing(currency, TiersMode.VOLUME, List.of(new PriceTier(null, unitAmount, 0)));
    }
}
