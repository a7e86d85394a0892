package io.seatledger.command.seatpool;

import io.seatledger.command.testing.TestClock;
import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.pricing.PriceTier;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.pricing.TiersMode;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.BillingPeriodRenewed;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.ProrationBehavior;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.messages.seatpool.ResizeSeatPool;
import io.seatledger.messages.seatpool.ResizeTiming;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import io.seatledger.messages.seatpool.SeatPoolResized;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over a manually invoiced pool's life (purchase, resizes now and at the period's end with any proration behaviour,
 * then renewals), the charges its events carry add up to what its resize history costs, computed here independently:
 * prices seat by seat from the tiers, proration by integer arithmetic on the seconds left.
 */
class ChargesPropertyTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String ORG = "org-1";

    /** One resize, {@code second}s into the first period. */
    record Resize(long second, int seats, ResizeTiming timing, ProrationBehavior proration) {
    }

    @Property(tries = 150)
    void theChargesOfAPoolsLifeAddUpToItsResizeHistory(@ForAll("pricings") Pricing pricing, @ForAll @IntRange(min = 1, max = 40) int seats,
                                                      @ForAll("resizes") List<Resize> resizes, @ForAll @IntRange(min = 1, max = 3) int renewals) {
        String poolId = UUID.randomUUID().toString();
        BillingPeriod first = BillingPeriod.startingAt(T0, BillingInterval.MONTH);
        List<Resize> history = resizes.stream().map(resize -> new Resize(resize.second() % (seconds(first) + 1), resize.seats(), resize.timing(),
                resize.proration())).sorted(Comparator.comparingLong(Resize::second)).toList();

        TestClock clock = new TestClock(T0);
        AggregateTestFixture<SeatPool> fixture = new AggregateTestFixture<>(SeatPool.class);
        fixture.registerInjectableResource(clock);
        fixture.registerInjectableResource(SeatPolicy.DEFAULT);
        TestExecutor<SeatPool> life = fixture.givenCurrentTime(T0)
                .andGivenCommands(new PurchaseSeatPool(poolId, ORG, PoolKind.SUBSCRIPTION, seats, pricing, BillingInterval.MONTH, null));
        for (Resize resize : history) {
            clock.set(T0.plusSeconds(resize.second()));
            life = life.andGivenCommands(new ResizeSeatPool(poolId, ORG, resize.seats(), resize.timing(), resize.proration()));
        }
        BillingPeriod last = first;
        for (int i = 0; i < renewals; i++) {
            last = last.next(BillingInterval.MONTH);
        }
        clock.set(last.start());
        life.whenThenTimeAdvancesTo(last.start()).expectSuccessfulHandlerExecution();

        List<Object> events = fixture.getEventStore().readEvents(poolId).asStream().map(DomainEventMessage::getPayload).map(Object.class::cast).toList();
        assertThat(events.stream().filter(BillingPeriodRenewed.class::isInstance)).hasSize(renewals);
        long charged = events.stream().map(ChargesPropertyTest::chargeOf).filter(java.util.Objects::nonNull).mapToLong(Charge::amount).sum();
        assertThat(charged).isEqualTo(expectedTotal(pricing, seats, history, first, renewals));
    }

    private static Charge chargeOf(Object event) {
        if (event instanceof SeatPoolPurchased purchased) {
            return purchased.charge();
        }
        if (event instanceof SeatPoolResized resized) {
            return resized.charge();
        }
        if (event instanceof BillingPeriodRenewed renewed) {
            return renewed.charge();
        }
        return null;
    }

    /**
     * The model: the first period at the seats bought; a resize now prorates the difference for the seconds left unless
     * without proration, and replaces any change scheduled; a resize at the period's end is what the second period starts
     * with; every renewal charges a whole period at the capacity then.
     */
    static long expectedTotal(Pricing pricing, int seats, List<Resize> history, BillingPeriod first, int renewals) {
        int capacity = seats;
        Integer scheduled = null;
        long total = price(pricing, seats);
        for (Resize resize : history) {
            if (resize.timing() == ResizeTiming.PERIOD_END) {
                scheduled = resize.seats();
                continue;
            }
            scheduled = null;
            if (resize.seats() != capacity && resize.proration() != ProrationBehavior.NONE) {
                long left = seconds(first) - resize.second();
                total += halfUp(price(pricing, resize.seats()) * left, seconds(first)) - halfUp(price(pricing, capacity) * left, seconds(first));
            }
            capacity = resize.seats();
        }
        if (scheduled != null) {
            capacity = scheduled;
        }
        return total + renewals * price(pricing, capacity);
    }

    /** Seat by seat: each seat at its tier's unit amount (graduated) or at the tier the total reaches (volume), each tier's flat amount once. */
    static long price(Pricing pricing, int seats) {
        if (pricing.tiersMode() == TiersMode.VOLUME) {
            PriceTier reached = tierOf(pricing, seats);
            long amount = reached.flatAmount();
            for (int seat = 1; seat <= seats; seat++) {
                amount += reached.unitAmount();
            }
            return amount;
        }
        long amount = 0;
        Set<PriceTier> reached = new HashSet<>();
        for (int seat = 1; seat <= seats; seat++) {
            PriceTier tier = tierOf(pricing, seat);
            amount += tier.unitAmount();
            if (reached.add(tier)) {
                amount += tier.flatAmount();
            }
        }
        return amount;
    }

    private static PriceTier tierOf(Pricing pricing, int seat) {
        return pricing.tiers().stream().filter(tier -> tier.upTo() == null || seat <= tier.upTo()).findFirst().orElseThrow();
    }

    /** {@code numerator / denominator} rounded half up, for a numerator of at least 0. */
    static long halfUp(long numerator, long denominator) {
        return Math.floorDiv(2 * numerator + denominator, 2 * denominator);
    }

    static long seconds(BillingPeriod period) {
        return period.end().getEpochSecond() - period.start().getEpochSecond();
    }

    @Provide
    Arbitrary<Pricing> pricings() {
        Arbitrary<TiersMode> mode = Arbitraries.of(TiersMode.class);
        Arbitrary<List<Integer>> widths = Arbitraries.integers().between(1, 12).list().ofMinSize(0).ofMaxSize(3);
        Arbitrary<List<Long>> units = Arbitraries.longs().between(0, 100_000).list().ofSize(4);
        Arbitrary<List<Long>> flats = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 50_000)).list().ofSize(4);
        return Combinators.combine(mode, widths, units, flats).as((tiersMode, bounded, unit, flat) -> {
            List<PriceTier> tiers = new ArrayList<>();
            long upTo = 0;
            for (int i = 0; i < bounded.size(); i++) {
                upTo += bounded.get(i);
                tiers.add(new PriceTier(upTo, unit.get(i), flat.get(i)));
            }
            tiers.add(new PriceTier(null, unit.get(bounded.size()), flat.get(bounded.size())));
            return new Pricing("eur", tiersMode, tiers);
        });
    }

    @Provide
    Arbitrary<List<Resize>> resizes() {
        Arbitrary<Long> second = Arbitraries.oneOf(Arbitraries.longs().between(0, 3_000_000), Arbitraries.just(0L));
        Arbitrary<Integer> seats = Arbitraries.integers().between(1, 40);
        return Combinators.combine(second, seats, Arbitraries.of(ResizeTiming.class), Arbitraries.of(ProrationBehavior.class))
                .as(Resize::new).list().ofMaxSize(6);
    }
}
