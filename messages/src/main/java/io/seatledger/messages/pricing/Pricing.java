package io.seatledger.messages.pricing;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A seat price: ISO currency, tier mode and ascending tiers whose last one is open-ended. Amounts and the number
 * of tiers are capped so that the price of any number of seats an {@code int} can count fits a {@code long}:
 * {@value #MAX_AMOUNT} x (2^31 - 1) seats + {@value #MAX_TIERS} x {@value #MAX_AMOUNT} is below 2^63.
 */
public record Pricing(String currency, TiersMode tiersMode, List<PriceTier> tiers) {

    /** The largest unit or flat amount of a tier, in minor units (10,000,000.00 of a two-decimal currency). */
    public static final long MAX_AMOUNT = 1_000_000_000L;
    public static final int MAX_TIERS = 100;

    private static final Pattern CURRENCY = Pattern.compile("^[a-z]{3}$");

    public Pricing {
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw invalid("currency must be a lower-case ISO 4217 code such as \"eur\"");
        }
        if (tiersMode == null) {
            throw invalid("tiersMode is required");
        }
        if (tiers == null || tiers.isEmpty() || tiers.size() > MAX_TIERS) {
            throw invalid("1 to " + MAX_TIERS + " tiers are required");
        }
        tiers = List.copyOf(tiers);
        long previousUpTo = 0;
        for (int i = 0; i < tiers.size(); i++) {
            PriceTier tier = tiers.get(i);
            boolean last = i == tiers.size() - 1;
            if (tier == null) {
                throw invalid("a tier is missing");
            }
            if (tier.unitAmount() < 0 || tier.flatAmount() < 0 || tier.unitAmount() > MAX_AMOUNT || tier.flatAmount() > MAX_AMOUNT) {
                throw invalid("tier amounts must be 0 to " + MAX_AMOUNT + " minor units");
            }
            if (last != (tier.upTo() == null)) {
                throw invalid("only the last tier is open-ended (upTo null)");
            }
            if (!last && tier.upTo() <= previousUpTo) {
                throw invalid("tiers must be in ascending order of upTo, starting above 0");
            }
            if (!last) {
                previousUpTo = tier.upTo();
            }
        }
    }

    /** Flat per-seat pricing: one open-ended tier. */
    public static Pricing perSeat(String currency, long unitAmount) {
        return new Pricing(currency, TiersMode.VOLUME, List.of(new PriceTier(null, unitAmount, 0)));
    }

    private static SeatLedgerException invalid(String detail) {
        return new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "pricing: " + detail);
    }
}
