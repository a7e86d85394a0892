package io.seatledger.projections.seatpool;

import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.ProrationBehavior;
import io.seatledger.messages.seatpool.RevocationReason;
import io.seatledger.messages.seatpool.SeatAssigned;
import io.seatledger.messages.seatpool.SeatClaimed;
import io.seatledger.messages.seatpool.SeatPoolGraceExpired;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import io.seatledger.messages.seatpool.SeatPoolResized;
import io.seatledger.messages.seatpool.SeatPoolWentPastDue;
import io.seatledger.messages.seatpool.SeatRevoked;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.messages.seatpool.SeatTransferred;
import io.seatledger.messages.seatpool.StripeSubscription;
import io.seatledger.projections.ErasedAddresses;
import io.seatledger.projections.EventFeed;
import io.seatledger.projections.ReadModelSchema;
import io.seatledger.readmodel.testing.ReadModelStores;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seat pools' read model (pools, seats, each organization's usage, the live feed's pool changes) written by
 * {@link SeatPoolProjection} from events handed to it directly, on the real schema, as the runtime role.
 */
class SeatPoolReadModelTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private static JdbcTemplate jdbc;

    private final String orgId = "org-" + UUID.randomUUID();
    private final String poolId = "pool-" + UUID.randomUUID();
    private final EventFeed events = new EventFeed(orgId);
    private SeatPoolProjection projection;

    @BeforeAll
    static void stores() {
        jdbc = new JdbcTemplate(ReadModelStores.get().runtime());
    }

    @BeforeEach
    void projection() {
        projection = new SeatPoolProjection(jdbc, ReadModelSchema.LIVE, null, ErasedAddresses.NONE);
    }

    @Test
    void aPurchasedPoolIsARowAndCountsInItsOrganizationsUsageOnceActive() {
        EventFeed.deliverOneByOne(projection, purchased(10, PoolStatus.ACTIVE));

        Map<String, Object> pool = jdbc.queryForMap("""
                select org_id, kind, status, billing_interval, capacity, pending, claimed, pricing->>'currency' as currency,
                    period_start, stripe->>'subscriptionId' as subscription, version from read_model.seat_pools where pool_id = ?""", poolId);
        assertThat(pool).containsEntry("org_id", orgId).containsEntry("kind", "SUBSCRIPTION").containsEntry("status", "ACTIVE")
                .containsEntry("billing_interval", "MONTH").containsEntry("capacity", 10).containsEntry("pending", 0).containsEntry("claimed", 0)
                .containsEntry("currency", "eur").containsEntry("subscription", "sub_1").containsEntry("version", 0L);
        assertThat(usage()).containsExactly(10, 0, 0, 10, 1);
    }

    @Test
    void aPoolAwaitingPaymentIsNotInService() {
        EventFeed.deliverOneByOne(projection, purchased(5, PoolStatus.AWAITING_PAYMENT));

        assertThat(jdbc.queryForObject("select status from read_model.seat_pools where pool_id = ?", String.class, poolId)).isEqualTo("AWAITING_PAYMENT");
        assertThat(usage()).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void seatsMoveThroughTheirStatusesAndThePoolCountsFollow() {
        EventFeed.deliverOneByOne(projection, purchased(3, PoolStatus.ACTIVE), assigned(seat("a"), "ada@example.com"),
                assigned(seat("b"), "bob@example.com"), claimed(seat("a"), "user-ada"),
                events.recorded(poolId, new SeatRevoked(poolId, orgId, seat("b"), SeatStatus.PENDING, RevocationReason.REVOKED_BY_MANAGER, NOW)));

        assertThat(jdbc.queryForMap("select pending, claimed, version from read_model.seat_pools where pool_id = ?", poolId))
                .containsEntry("pending", 0).containsEntry("claimed", 1).containsEntry("version", 4L);
        assertThat(jdbc.queryForList("select seat_id || ' ' || status || ' ' || coalesce(holder_user_id, '-') from read_model.seats where pool_id = ? order by seat_id",
                String.class, poolId)).containsExactly(seat("a") + " CLAIMED user-ada", seat("b") + " REVOKED -");
        assertThat(usage()).containsExactly(3, 0, 1, 2, 1);
    }

    @Test
    void anEventDeliveredAgainChangesNothing() {
        TrackedEventMessage<?> purchase = purchased(4, PoolStatus.ACTIVE);
        TrackedEventMessage<?> assignment = assigned(seat("a"), "ada@example.com");
        TrackedEventMessage<?> claim = claimed(seat("a"), "user-ada");
        EventFeed.deliverOneByOne(projection, purchase, assignment, claim);

        EventFeed.deliverOneByOne(projection, purchase, assignment, claim);
        EventFeed.deliver(projection, List.of(purchase, assignment, claim));

        assertThat(jdbc.queryForMap("select pending, claimed from read_model.seat_pools where pool_id = ?", poolId))
                .containsEntry("pending", 0).containsEntry("claimed", 1);
        assertThat(jdbc.queryForObject("select count(*) from read_model.seats where pool_id = ?", Long.class, poolId)).isEqualTo(1);
        assertThat(usage()).containsExactly(4, 0, 1, 3, 1);
    }

    @Test
    void aBatchOfAssignmentsIsWrittenAtCommitWithOneFeedRowPerEvent() {
        EventFeed.deliverOneByOne(projection, purchased(100, PoolStatus.ACTIVE));
        List<TrackedEventMessage<?>> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(assigned(seat(String.valueOf(i)), "user" + i + "@example.com"));
        }

        EventFeed.deliver(projection, batch);

        assertThat(jdbc.queryForObject("select pending from read_model.seat_pools where pool_id = ?", Integer.class, poolId)).isEqualTo(25);
        assertThat(jdbc.queryForObject("select count(*) from read_model.seats where pool_id = ? and status = 'PENDING'", Long.class, poolId)).isEqualTo(25);
        assertThat(jdbc.queryForList("select pending from read_model.pool_changes where pool_id = ? order by position", Integer.class, poolId))
                .as("the purchase, then each assignment with the count after it").hasSize(26).startsWith(0, 1, 2).endsWith(25);
        assertThat(usage()).containsExactly(100, 25, 0, 75, 1);
    }

    @Test
    void aPoolPastDueCountsUntilItsGraceExpires() {
        EventFeed.deliverOneByOne(projection, purchased(6, PoolStatus.ACTIVE), assigned(seat("a"), "ada@example.com"),
                events.recorded(poolId, new SeatPoolWentPastDue(poolId, orgId, NOW.plus(7, ChronoUnit.DAYS), NOW)));
        assertThat(usage()).containsExactly(6, 1, 0, 5, 1);

        EventFeed.deliverOneByOne(projection, events.recorded(poolId, new SeatPoolGraceExpired(poolId, orgId, NOW)));

        assertThat(jdbc.queryForMap("select status, grace_expired from read_model.seat_pools where pool_id = ?", poolId))
                .containsEntry("status", "PAST_DUE").containsEntry("grace_expired", true);
        assertThat(usage()).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void aResizeAndATransferOfAClaimedSeatMoveTheCounts() {
        EventFeed.deliverOneByOne(projection, purchased(2, PoolStatus.ACTIVE), assigned(seat("a"), "ada@example.com"), claimed(seat("a"), "user-ada"),
                events.recorded(poolId, new SeatPoolResized(poolId, orgId, 2, 5, ProrationBehavior.NONE, NOW)),
                events.recorded(poolId, new SeatTransferred(poolId, orgId, seat("a"), SeatStatus.CLAIMED, seat("b"), "eve@example.com", "hash-" + seat("b"),
                        NOW.plus(14, ChronoUnit.DAYS), NOW)));

        assertThat(jdbc.queryForMap("select capacity, pending, claimed from read_model.seat_pools where pool_id = ?", poolId))
                .containsEntry("capacity", 5).containsEntry("pending", 1).containsEntry("claimed", 0);
        assertThat(jdbc.queryForList("select seat_id || ' ' || status || ' ' || email from read_model.seats where pool_id = ? order by seat_id",
                String.class, poolId)).containsExactly(seat("a") + " REVOKED ada@example.com", seat("b") + " PENDING eve@example.com");
        assertThat(usage()).containsExactly(5, 1, 0, 4, 1);
    }

    @Test
    void anAddressErasedInTheOrganizationIsWrittenErased() {
        ErasedAddresses erasing = (org, email) -> org.equals(orgId) && email.equals("ada@example.com") ? ErasedAddresses.ERASED : email;
        SeatPoolProjection erasingProjection = new SeatPoolProjection(jdbc, ReadModelSchema.LIVE, null, erasing);

        EventFeed.deliverOneByOne(erasingProjection, purchased(2, PoolStatus.ACTIVE), assigned(seat("a"), "ada@example.com"), assigned(seat("b"), "bob@example.com"));

        assertThat(jdbc.queryForList("select email from read_model.seats where pool_id = ? order by seat_id", String.class, poolId))
                .containsExactly(ErasedAddresses.ERASED, "bob@example.com");
    }

    /** capacity, pending, claimed, available, pools of the organization (all 0 before its first recount). */
    private List<Integer> usage() {
        return jdbc.query("select capacity, pending, claimed, available, pools from read_model.org_usage where org_id = ?",
                        (row, n) -> List.of(row.getInt(1), row.getInt(2), row.getInt(3), row.getInt(4), row.getInt(5)), orgId)
                .stream().findFirst().orElse(List.of(0, 0, 0, 0, 0));
    }

    /** Seat ids are unique across the database: this test's seat {@code name}. */
    private String seat(String name) {
        return poolId + "-seat-" + name;
    }

    private TrackedEventMessage<?> purchased(int capacity, PoolStatus status) {
        return events.recorded(poolId, new SeatPoolPurchased(poolId, orgId, PoolKind.SUBSCRIPTION, capacity, Pricing.perSeat("eur", 1200),
                BillingInterval.MONTH, status, new BillingPeriod(NOW, NOW.plus(30, ChronoUnit.DAYS)),
                new StripeSubscription("cus_1", "sub_1", "si_1", null), NOW));
    }

    private TrackedEventMessage<?> assigned(String seatId, String email) {
        return events.recorded(poolId, new SeatAssigned(poolId, orgId, seatId, email, "hash-" + seatId, NOW.plus(14, ChronoUnit.DAYS),
                Map.of("team", "core"), NOW));
    }

    private TrackedEventMessage<?> claimed(String seatId, String userId) {
        return events.recorded(poolId, new SeatClaimed(poolId, orgId, seatId, userId, NOW));
    }
}
