package io.seatledger.messages.pricing;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;

import java.util.List;
import java.util.regex.Pattern;

/** A seat price: ISO currency, tier mode and ascending tiers whose last one is open-ended. */
public record Pricing(String currency, TiersMode tiersMode, List<PriceTier> tiers) {

    private static final Pattern CURRENCY = Pattern.compile("^[a-z]{3}$");

    public Pricing {
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw invalid("currency must be a lower-case ISO 4217 code such as \"eur\"");
        }
        if (tiersMode == null) {
            throw invalid("tiersMode is required");
        }
        if (tiers == null || tiers.isEmpty()) {
            throw invalid("at least one tier is required");
        }
        tiers = List.copyOf(tiers);
        long previousUpTo = 0;
        for (int i = 0; i < tiers.size(); i++) {
            PriceTier tier = tiers.get(i);
            boolean last = i == tiers.size() - 1;
            if (tier.unitAmount() < 0 || tier.flatAmount() < 0) {
                throw invalid("tier amounts must not be negative");
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
