package io.seatledger.command.seatpool;

import io.seatledger.command.testing.TestClock;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.pricing.PriceTier;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.pricing.TiersMode;
import io.seatledger.messages.seatpool.*;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The charges a manually invoiced pool's events carry, as the pricing module computed them with graduated tiers
 * (1-5 seats at 10.00 plus 5.00 once, every further seat at 8.00): purchase, renewal at the capacity the period
 * starts with, proration of a resize now (a credit for a decrease), and refunds; none for a pool Stripe bills.
 */
class SeatPoolChargesTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String ORG = "org-1";
    static final String POOL = "5f0c6a1e-3d1b-4f67-9a55-6a2c1d0e9b02";
    static final Pricing TIERED = new Pricing("eur", TiersMode.GRADUATED, List.of(new PriceTier(5L, 1000, 500), new PriceTier(null, 800, 0)));
    static final BillingPeriod PERIOD = BillingPeriod.startingAt(T0, BillingInterval.MONTH);
    static final Map<String, String> MANAGER = new AuditMetadata("manager-1", Set.of(), "req-1", "", ORG).asMap();
    /** 8 seats: 5 x 1000 + 500 + 3 x 800. */
    static final long EIGHT_SEATS = 7_900;
    /** 3 seats: 3 x 1000 + 500. */
    static final long THREE_SEATS = 3_500;

    private final TestClock clock = new TestClock(T0);
    private AggregateTestFixture<SeatPool> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(SeatPool.class);
        fixture.registerInjectableResource(clock);
        fixture.registerInjectableResource(SeatPolicy.DEFAULT);
    }

    static SeatPoolPurchased purchased(int seats, long amount) {
        return new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, seats, TIERED, BillingInterval.MONTH, PoolStatus.ACTIVE, PERIOD, null, T0,
                new Charge(seats, amount, "eur", PERIOD.start(), PERIOD.end()));
    }

    @Test
    void aPurchaseIsChargedItsFirstPeriodWithTiersApplied() {
        fixture.givenNoPriorActivity()
                .when(new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, 8, TIERED, BillingInterval.MONTH, null), MANAGER)
                .expectEvents(purchased(8, EIGHT_SEATS));
    }

    @Test
    void anOrderIsChargedOnceWithoutAPeriodEnd() {
        fixture.givenNoPriorActivity()
                .when(new PurchaseSeatPool(POOL, ORG, PoolKind.ORDER, 3, TIERED, null, null), MANAGER)
                .expectEvents(new SeatPoolPurchased(POOL, ORG, PoolKind.ORDER, 3, TIERED, null, PoolStatus.ACTIVE, null, null, T0,
                        new Charge(3, THREE_SEATS, "eur", T0, null)));
    }

    @Test
    void aResizeNowIsProratedToTheSecondForTheRestOfThePeriod() {
        // 10 of the period's 31 days gone: credit round(7900 x 21/31) = 5352, charge round(3500 x 21/31) = 2371
        Instant at = T0.plus(Duration.ofDays(10));
        clock.set(at);
        fixture.given(purchased(8, EIGHT_SEATS))
                .when(new ResizeSeatPool(POOL, ORG, 3, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS), MANAGER)
                .expectEvents(new SeatPoolResized(POOL, ORG, 8, 3, ProrationBehavior.CREATE_PRORATIONS, at, new Charge(3, -2_981, "eur", at, PERIOD.end())));
        fixture.given(new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 3, TIERED, BillingInterval.MONTH, PoolStatus.ACTIVE, PERIOD, null, T0,
                        new Charge(3, THREE_SEATS, "eur", PERIOD.start(), PERIOD.end())))
                .when(new ResizeSeatPool(POOL, ORG, 8, ResizeTiming.NOW, ProrationBehavior.ALWAYS_INVOICE), MANAGER)
                .expectEvents(new SeatPoolResized(POOL, ORG, 3, 8, ProrationBehavior.ALWAYS_INVOICE, at, new Charge(8, 2_981, "eur", at, PERIOD.end())));
    }

    @Test
    void aResizeWithoutProrationOrAtTheVeryEndChargesNothing() {
        clock.set(T0.plus(Duration.ofDays(10)));
        fixture.given(purchased(8, EIGHT_SEATS))
                .when(new ResizeSeatPool(POOL, ORG, 3, ResizeTiming.NOW, ProrationBehavior.NONE), MANAGER)
                .expectEvents(new SeatPoolResized(POOL, ORG, 8, 3, ProrationBehavior.NONE, T0.plus(Duration.ofDays(10))));
        clock.set(PERIOD.end());
        fixture.given(purchased(8, EIGHT_SEATS))
                .when(new ResizeSeatPool(POOL, ORG, 3, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS), MANAGER)
                .expectEvents(new SeatPoolResized(POOL, ORG, 8, 3, ProrationBehavior.CREATE_PRORATIONS, PERIOD.end()));
    }

    @Test
    void theRenewalChargesTheCapacityTheNewPeriodStartsWith() {
        BillingPeriod next = PERIOD.next(BillingInterval.MONTH);
        fixture.givenCurrentTime(T0)
                .andGivenCommands(new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, 8, TIERED, BillingInterval.MONTH, null))
                .andGivenCommands(new ResizeSeatPool(POOL, ORG, 3, ResizeTiming.PERIOD_END, ProrationBehavior.NONE))
                .whenThenTimeAdvancesTo(PERIOD.end())
                .expectEvents(new SeatPoolResized(POOL, ORG, 8, 3, ProrationBehavior.NONE, PERIOD.end()),
                        new BillingPeriodRenewed(POOL, ORG, next, new Charge(3, THREE_SEATS, "eur", next.start(), next.end())));
    }

    @Test
    void aPoolStripeBillsCarriesNoChargesOfItsOwn() {
        StripeSubscription checkout = new StripeSubscription(null, null, null, "cs_1");
        fixture.givenNoPriorActivity()
                .when(new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, 8, TIERED, BillingInterval.MONTH, checkout), MANAGER)
                .expectEvents(new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 8, TIERED, BillingInterval.MONTH, PoolStatus.AWAITING_PAYMENT,
                        null, checkout, T0));
        StripeSubscription linked = new StripeSubscription("cus_1", "sub_1", "si_1", "cs_1");
        BillingPeriod next = PERIOD.next(BillingInterval.MONTH);
        fixture.given(new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 8, TIERED, BillingInterval.MONTH, PoolStatus.ACTIVE, PERIOD, linked, T0))
                .when(new ApplyProviderState(POOL, ORG, new ProviderState(ProviderPayment.PAID, linked, 8, BillingInterval.MONTH, next, false), null))
                .expectEvents(new BillingPeriodRenewed(POOL, ORG, next));
    }

    @Test
    void eachRefundIsANegativeLineOfWhatItAdded() {
        StripeSubscription linked = new StripeSubscription("cus_1", null, null, "cs_1");
        SeatPoolPurchased order = new SeatPoolPurchased(POOL, ORG, PoolKind.ORDER, 3, TIERED, null, PoolStatus.ACTIVE, null, linked, T0);
        PaymentRefunded first = new PaymentRefunded(POOL, ORG, "ch_1", THREE_SEATS, 1_000, "eur", false, T0, new Charge(3, -1_000, "eur", null, null));
        fixture.given(order)
                .when(new ApplyPaymentState(POOL, ORG, new PaymentState("ch_1", THREE_SEATS, 1_000, "eur", null, null)))
                .expectEvents(first);
        fixture.given(order, first)
                .when(new ApplyPaymentState(POOL, ORG, new PaymentState("ch_1", THREE_SEATS, 2_500, "eur", null, null)))
                .expectEvents(new PaymentRefunded(POOL, ORG, "ch_1", THREE_SEATS, 2_500, "eur", false, T0, new Charge(3, -1_500, "eur", null, null)));
    }

    @Test
    void eventsRecordedBeforeChargesStillMakeThePool() {
        // stored events without a charge: the pool behaves as before, and later events carry charges
        clock.set(T0.plus(Duration.ofDays(10)));
        Instant at = T0.plus(Duration.ofDays(10));
        fixture.given(new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 8, TIERED, BillingInterval.MONTH, PoolStatus.ACTIVE, PERIOD, null, T0),
                        new SeatPoolResized(POOL, ORG, 8, 8, ProrationBehavior.NONE, T0))
                .when(new ResizeSeatPool(POOL, ORG, 3, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS), MANAGER)
                .expectEvents(new SeatPoolResized(POOL, ORG, 8, 3, ProrationBehavior.CREATE_PRORATIONS, at, new Charge(3, -2_981, "eur", at, PERIOD.end())));
    }
}
