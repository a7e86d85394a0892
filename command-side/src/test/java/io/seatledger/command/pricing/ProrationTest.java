package io.seatledger.command.pricing;

import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.pricing.ResizePreview;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.ResizeTiming;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ProrationTest {

    static final BillingPeriod APRIL = new BillingPeriod(Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z"));

    @Test
    void stripesHalfwayUpgradeExample() {
        // Stripe's documented example: 10 USD → 20 USD halfway through: −5 credit, +10 charge, +5 due.
        Pricing pricing = Pricing.perSeat("usd", 1000);
        ResizePreview preview = Proration.preview(pricing, 1, 2, APRIL, ResizeTiming.NOW, Instant.parse("2026-04-16T00:00:00Z"));
        assertThat(preview.currentAmount()).isEqualTo(1000);
        assertThat(preview.newAmount()).isEqualTo(2000);
        assertThat(preview.prorationAmount()).isEqualTo(500);
        assertThat(preview.periodEnd()).isEqualTo(APRIL.end());
        assertThat(preview.currency()).isEqualTo("usd");
    }

    @Test
    void prorationIsToTheSecondWithEachLineRounded() {
        // 2,592,000 s in April; one second before the end: credit round(−3000×1/2592000)=0, charge round(6000×1/2592000)=0.
        Pricing pricing = Pricing.perSeat("eur", 1000);
        assertThat(Proration.preview(pricing, 3, 6, APRIL, ResizeTiming.NOW, APRIL.end().minusSeconds(1)).prorationAmount()).isZero();
        // 1,296,001 s remaining (half plus one second): credit −round(3000×1296001/2592000)=−1500, charge round(6000×…)=3000.
        long proration = Proration.preview(pricing, 3, 6, APRIL, ResizeTiming.NOW, Instant.parse("2026-04-15T23:59:59Z")).prorationAmount();
        assertThat(proration).isEqualTo(1500);
        // A decrease at the start of the period credits the whole difference.
        assertThat(Proration.preview(pricing, 6, 3, APRIL, ResizeTiming.NOW, APRIL.start()).prorationAmount()).isEqualTo(-3000);
    }

    @Test
    void aChangeAtPeriodEndIsNotProrated() {
        Pricing pricing = Pricing.perSeat("eur", 1000);
        ResizePreview preview = Proration.preview(pricing, 3, 6, APRIL, ResizeTiming.PERIOD_END, Instant.parse("2026-04-10T00:00:00Z"));
        assertThat(preview.prorationAmount()).isZero();
        assertThat(preview.newAmount()).isEqualTo(6000);
    }

    @Test
    void anInstantOutsideThePeriodIsClampedToIt() {
        Pricing pricing = Pricing.perSeat("eur", 1000);
        assertThat(Proration.preview(pricing, 1, 2, APRIL, ResizeTiming.NOW, APRIL.start().minusSeconds(3600)).prorationAmount()).isEqualTo(1000);
        assertThat(Proration.preview(pricing, 1, 2, APRIL, ResizeTiming.NOW, APRIL.end().plusSeconds(3600)).prorationAmount()).isZero();
    }
}
