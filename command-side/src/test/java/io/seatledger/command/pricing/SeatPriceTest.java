package io.seatledger.command.pricing;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.pricing.PriceTier;
import io.seatledger.messages.pricing.ResizePreview;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.ResizeTiming;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.pricing.TiersMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeatPriceTest {

    /** Stripe's worked example: 1–5 at 7.00, 6–10 at 6.50, 11+ at 6.00. */
    static Pricing stripeExample(TiersMode mode) {
        return new Pricing("usd", mode, List.of(
                new PriceTier(5L, 700, 0), new PriceTier(10L, 650, 0), new PriceTier(null, 600, 0)));
    }

    @ParameterizedTest(name = "{0} seats: volume {1}, graduated {2}")
    @CsvSource({
            "0, 0, 0",
            "1, 700, 700",
            "5, 3500, 3500",
            "6, 3900, 4150",
            "10, 6500, 6750",
            "11, 6600, 7350",
            "20, 12000, 12750",
    })
    void followsStripesTierExamples(int seats, long volume, long graduated) {
        assertThat(SeatPrice.amountFor(stripeExample(TiersMode.VOLUME), seats)).isEqualTo(volume);
        assertThat(SeatPrice.amountFor(stripeExample(TiersMode.GRADUATED), seats)).isEqualTo(graduated);
    }

    @Test
    void addsEachReachedTiersFlatAmountOnce() {
        List<PriceTier> tiers = List.of(new PriceTier(5L, 500, 1000), new PriceTier(null, 400, 2000));
        // Graduated, 7 seats: 5×500 + 1000 (first tier) + 2×400 + 2000 (second tier).
        assertThat(SeatPrice.amountFor(new Pricing("eur", TiersMode.GRADUATED, tiers), 7)).isEqualTo(6300);
        // Volume, 7 seats: all at the second tier, with its flat amount only.
        assertThat(SeatPrice.amountFor(new Pricing("eur", TiersMode.VOLUME, tiers), 7)).isEqualTo(4800);
        // Volume, 3 seats: the first tier's flat amount.
        assertThat(SeatPrice.amountFor(new Pricing("eur", TiersMode.VOLUME, tiers), 3)).isEqualTo(2500);
    }

    @Property(tries = 300)
    void flatPerSeatPricingIsLinearInBothModes(@ForAll @IntRange(min = 0, max = 100_000) int seats,
                                               @ForAll @IntRange(min = 0, max = 100_000) int unitAmount) {
        Pricing perSeat = Pricing.perSeat("eur", unitAmount);
        Pricing graduated = new Pricing("eur", TiersMode.GRADUATED, perSeat.tiers());
        assertThat(SeatPrice.amountFor(perSeat, seats)).isEqualTo((long) seats * unitAmount);
        assertThat(SeatPrice.amountFor(graduated, seats)).isEqualTo((long) seats * unitAmount);
    }

    @Property(tries = 300)
    void graduatedNeverDecreasesAsSeatsGrow(@ForAll @IntRange(min = 0, max = 10_000) int seats) {
        Pricing pricing = stripeExample(TiersMode.GRADUATED);
        assertThat(SeatPrice.amountFor(pricing, seats + 1)).isGreaterThan(SeatPrice.amountFor(pricing, seats));
    }

    @Test
    void rejectsMalformedTiers() {
        assertInvalid(() -> new Pricing("usd", TiersMode.VOLUME, List.of(new PriceTier(5L, 700, 0))));
        assertInvalid(() -> new Pricing("usd", TiersMode.VOLUME, List.of(new PriceTier(10L, 1, 0), new PriceTier(5L, 1, 0), new PriceTier(null, 1, 0))));
        assertInvalid(() -> new Pricing("usd", TiersMode.VOLUME, List.of(new PriceTier(null, -1, 0))));
        assertInvalid(() -> new Pricing("USD", TiersMode.VOLUME, List.of(new PriceTier(null, 1, 0))));
        assertInvalid(() -> new Pricing("usd", TiersMode.VOLUME, List.of()));
        assertInvalid(() -> new Pricing("usd", null, List.of(new PriceTier(null, 1, 0))));
    }

    @Test
    void capsAmountsAndTiersSoThatNoPriceOverflows() {
        assertInvalid(() -> Pricing.perSeat("eur", Pricing.MAX_AMOUNT + 1));
        assertInvalid(() -> new Pricing("eur", TiersMode.VOLUME, List.of(new PriceTier(null, 1, Pricing.MAX_AMOUNT + 1))));
        assertInvalid(() -> new Pricing("eur", TiersMode.VOLUME, List.of(new PriceTier(null, Long.MAX_VALUE, 0))));
        assertInvalid(() -> new Pricing("eur", TiersMode.GRADUATED, mostExpensiveTiers(Pricing.MAX_TIERS + 1)));
        for (TiersMode mode : TiersMode.values()) {
            Pricing mostExpensive = new Pricing("eur", mode, mostExpensiveTiers(Pricing.MAX_TIERS));
            long amount = SeatPrice.amountFor(mostExpensive, Integer.MAX_VALUE);
            assertThat(amount).isPositive().isGreaterThanOrEqualTo(Integer.MAX_VALUE * Pricing.MAX_AMOUNT);
            BillingPeriod period = BillingPeriod.startingAt(java.time.Instant.parse("2026-01-01T00:00:00Z"), BillingInterval.YEAR);
            ResizePreview preview = Proration.preview(mostExpensive, 1, Integer.MAX_VALUE, period, ResizeTiming.NOW, period.start().plusSeconds(1));
            assertThat(preview.prorationAmount()).isPositive().isLessThanOrEqualTo(amount);
        }
    }

    /** The largest tiers allowed: every tier at the largest unit and flat amounts. */
    private static List<PriceTier> mostExpensiveTiers(int count) {
        List<PriceTier> tiers = new java.util.ArrayList<>();
        for (int i = 1; i < count; i++) {
            tiers.add(new PriceTier((long) i, Pricing.MAX_AMOUNT, Pricing.MAX_AMOUNT));
        }
        tiers.add(new PriceTier(null, Pricing.MAX_AMOUNT, Pricing.MAX_AMOUNT));
        return tiers;
    }

    private static void assertInvalid(Runnable construction) {
        assertThatThrownBy(construction::run).isInstanceOfSatisfying(SeatLedgerException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
    }
}
