package io.seatledger.command.seatpool;

import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.ProrationBehavior;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PoolChargesTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Pricing PRICING = Pricing.perSeat("eur", 1000);
    static final BillingPeriod PERIOD = BillingPeriod.startingAt(T0, BillingInterval.MONTH);

    @Test
    void aPeriodIsChargedForItsSeatsOverItsSpan() {
        assertThat(PoolCharges.forPeriod(PRICING, 3, PERIOD, T0)).isEqualTo(new Charge(3, 3000, "eur", PERIOD.start(), PERIOD.end()));
    }

    @Test
    void anOrderIsChargedOnceFromItsPurchase() {
        assertThat(PoolCharges.forPeriod(PRICING, 3, null, T0)).isEqualTo(new Charge(3, 3000, "eur", T0, null));
    }

    @Test
    void aResizeNowIsChargedTheProratedRestOfThePeriod() {
        Instant halfway = PERIOD.start().plus(Duration.between(PERIOD.start(), PERIOD.end()).dividedBy(2));
        Charge grown = PoolCharges.forResize(PRICING, PERIOD, 2, 4, ProrationBehavior.CREATE_PRORATIONS, halfway);
        assertThat(grown.seats()).isEqualTo(4);
        assertThat(grown.amount()).as("two seats for about half the period").isBetween(990L, 1010L);
        assertThat(grown.periodStart()).isEqualTo(halfway);
        assertThat(grown.periodEnd()).isEqualTo(PERIOD.end());
    }

    @Test
    void noChargeWithoutProrationWithoutPeriodOrWithoutDifference() {
        assertThat(PoolCharges.forResize(PRICING, PERIOD, 2, 4, ProrationBehavior.NONE, T0)).isNull();
        assertThat(PoolCharges.forResize(PRICING, null, 2, 4, ProrationBehavior.CREATE_PRORATIONS, T0)).isNull();
        assertThat(PoolCharges.forResize(PRICING, PERIOD, 4, 4, ProrationBehavior.ALWAYS_INVOICE, T0)).isNull();
    }

    @Test
    void aRefundIsANegativeChargeInThePaymentsCurrencyOrThePools() {
        assertThat(PoolCharges.refund(5, 2000, "usd", PRICING)).isEqualTo(new Charge(5, -2000, "usd", null, null));
        assertThat(PoolCharges.refund(5, 2000, null, PRICING)).isEqualTo(new Charge(5, -2000, "eur", null, null));
    }
}
