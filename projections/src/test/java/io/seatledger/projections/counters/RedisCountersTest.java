package io.seatledger.projections.counters;

import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.RevocationReason;
import io.seatledger.messages.seatpool.SeatAssigned;
import io.seatledger.messages.seatpool.SeatClaimed;
import io.seatledger.messages.seatpool.SeatPoolGraceExpired;
import io.seatledger.messages.seatpool.SeatPoolPaymentRecovered;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import io.seatledger.messages.seatpool.SeatPoolWentPastDue;
import io.seatledger.messages.seatpool.SeatRevoked;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.projections.EventFeed;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.readmodel.testing.ReadModelStores;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Instant;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis counters and entitlement sets written by {@link RedisCounterProjection} from events handed to it directly,
 * on a real Redis running the projection's Lua script: each event applies at most once, however often it is delivered.
 */
class RedisCountersTest {

    private static final Instant NOW = Instant.now();

    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;

    private final String orgId = "org-" + UUID.randomUUID();
    private final String poolId = "pool-" + UUID.randomUUID();
    private final EventFeed events = new EventFeed(orgId);
    private final RedisCounterProjection projection = new RedisCounterProjection(redis);

    @BeforeAll
    static void redis() {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", ReadModelStores.get().redisPort()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void close() {
        connections.destroy();
    }

    @Test
    void countersPoolsAndHoldersFollowTheEvents() {
        EventFeed.deliverOneByOne(projection, purchased(8), assigned("seat-a"), assigned("seat-b"));
        TrackedEventMessage<?> claim = claimed("seat-a", "user-ada");
        EventFeed.deliverOneByOne(projection, claim);

        assertThat(redis.<String, String>opsForHash().entries(CounterKeys.pool(orgId, poolId)))
                .containsEntry("capacity", "8").containsEntry("pending", "1").containsEntry("claimed", "1").containsEntry("status", "ACTIVE")
                .containsEntry("graceExpired", "0").containsEntry("position", String.valueOf(claim.trackingToken().position().orElseThrow()));
        assertThat(redis.opsForSet().members(CounterKeys.pools(orgId))).containsExactly(poolId);
        assertThat(redis.opsForSet().members(CounterKeys.holderSet(orgId, "user-ada"))).containsExactly(poolId + ":seat-a");
        assertThat(redis.<String, String>opsForHash().entries(CounterKeys.holders(orgId, poolId))).containsExactly(Map.entry("seat-a", "user-ada"));
        assertThat(usage()).containsExactly(Map.entry("capacity", "8"), Map.entry("pending", "1"), Map.entry("claimed", "1"),
                Map.entry("available", "6"), Map.entry("pools", "1"));
    }

    @Test
    void theSameEventDeliveredTwiceCountsOnce() {
        EventFeed.deliverOneByOne(projection, purchased(5));
        TrackedEventMessage<?> assignment = assigned("seat-a");
        EventFeed.deliverOneByOne(projection, assignment);

        EventFeed.deliverOneByOne(projection, assignment);
        EventFeed.deliver(projection, List.of(assignment, assignment));

        assertThat(redis.opsForHash().get(CounterKeys.pool(orgId, poolId), "pending")).isEqualTo("1");
        assertThat(usage()).containsEntry("pending", "1").containsEntry("available", "4");
    }

    @Test
    void aBatchDeliveredAgainChangesNoKey() {
        List<TrackedEventMessage<?>> batch = List.of(purchased(5), assigned("seat-a"), assigned("seat-b"), claimed("seat-a", "user-ada"),
                revoked("seat-b", SeatStatus.PENDING));
        EventFeed.deliver(projection, batch);
        Map<String, Object> before = everyKeyOfTheOrganization();

        EventFeed.deliver(projection, batch);

        assertThat(everyKeyOfTheOrganization()).isEqualTo(before);
        assertThat(usage()).containsEntry("pending", "0").containsEntry("claimed", "1");
    }

    @Test
    void revokingAClaimedSeatTakesItFromItsHolder() {
        EventFeed.deliverOneByOne(projection, purchased(3), assigned("seat-a"), claimed("seat-a", "user-ada"), revoked("seat-a", SeatStatus.CLAIMED));

        assertThat(redis.opsForSet().members(CounterKeys.holderSet(orgId, "user-ada"))).isEmpty();
        assertThat(redis.opsForHash().entries(CounterKeys.holders(orgId, poolId))).isEmpty();
        assertThat(usage()).containsEntry("claimed", "0").containsEntry("available", "3");
    }

    @Test
    void aPoolLeavesTheUsageWhenItsGraceExpiresAndComesBackWhenPaid() {
        EventFeed.deliverOneByOne(projection, purchased(4), assigned("seat-a"),
                events.recorded(poolId, new SeatPoolWentPastDue(poolId, orgId, NOW.plusSeconds(86_400), NOW)));
        assertThat(usage()).containsEntry("capacity", "4").containsEntry("pools", "1");

        EventFeed.deliverOneByOne(projection, events.recorded(poolId, new SeatPoolGraceExpired(poolId, orgId, NOW)));
        assertThat(usage()).containsEntry("capacity", "0").containsEntry("pending", "0").containsEntry("pools", "0");

        EventFeed.deliverOneByOne(projection, events.recorded(poolId, new SeatPoolPaymentRecovered(poolId, orgId, NOW)));
        assertThat(usage()).containsEntry("capacity", "4").containsEntry("pending", "1").containsEntry("available", "3").containsEntry("pools", "1");
    }

    @Test
    void whileTheCountersAreRebuiltNothingIsAppliedAndABatchThatRunsOutOfPatienceFails() {
        RedisCounterProjection impatient = new RedisCounterProjection(redis, Duration.ofMillis(300));
        EventFeed.deliverOneByOne(impatient, purchased(2));
        Map<String, Object> before = everyKeyOfTheOrganization();
        redis.opsForValue().set(CounterKeys.REBUILDING, "test");
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> EventFeed.deliverOneByOne(impatient, assigned("seat-a"))).isInstanceOf(CountersBeingRebuilt.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waited for the rebuild first").isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            redis.delete(CounterKeys.REBUILDING);
        }
        assertThat(everyKeyOfTheOrganization()).isEqualTo(before);
    }

    /**
     * A batch that meets a rebuild waits for its end and is then applied, instead of failing into the processor's error
     * back-off (a segment kept away for up to a minute while entitlement checks read its stale counters).
     */
    @Test
    void aBatchThatMeetsARebuildIsAppliedOnceTheRebuildEnds() throws Exception {
        EventFeed.deliverOneByOne(projection, purchased(2));
        redis.opsForValue().set(CounterKeys.REBUILDING, "test");
        CompletableFuture<Void> delivered;
        try {
            delivered = CompletableFuture.runAsync(() -> EventFeed.deliverOneByOne(projection, assigned("seat-a")));
            Thread.sleep(500);
            assertThat(delivered).as("waiting while the rebuild runs").isNotDone();
            assertThat(redis.opsForHash().get(CounterKeys.pool(orgId, poolId), "pending")).isEqualTo("0");
        } finally {
            redis.delete(CounterKeys.REBUILDING);
        }
        delivered.get(5, TimeUnit.SECONDS);
        assertThat(redis.opsForHash().get(CounterKeys.pool(orgId, poolId), "pending")).isEqualTo("1");
    }

    /** The organization's usage hash; a field never incremented reads 0, as the query side reads it. */
    private Map<String, String> usage() {
        Map<String, String> usage = new LinkedHashMap<>();
        for (String field : List.of("capacity", "pending", "claimed", "available", "pools")) {
            Object value = redis.opsForHash().get(CounterKeys.usage(orgId), field);
            usage.put(field, value == null ? "0" : value.toString());
        }
        return usage;
    }

    /** Every key of the organization (they share its hash tag) with its value. */
    private Map<String, Object> everyKeyOfTheOrganization() {
        Map<String, Object> values = new TreeMap<>();
        for (String key : redis.keys(CounterKeys.PREFIX + "{" + orgId + "}:*")) {
            values.put(key, switch (redis.type(key).code()) {
                case "hash" -> new TreeMap<>(redis.opsForHash().entries(key));
                case "set" -> new TreeSet<>(redis.opsForSet().members(key));
                default -> redis.opsForValue().get(key);
            });
        }
        return values;
    }

    private TrackedEventMessage<?> purchased(int capacity) {
        return events.recorded(poolId, new SeatPoolPurchased(poolId, orgId, PoolKind.ORDER, capacity, Pricing.perSeat("eur", 900), BillingInterval.YEAR,
                PoolStatus.ACTIVE, null, null, NOW));
    }

    private TrackedEventMessage<?> assigned(String seatId) {
        return events.recorded(poolId, new SeatAssigned(poolId, orgId, seatId, seatId + "@example.com", null, null, Map.of(), NOW));
    }

    private TrackedEventMessage<?> claimed(String seatId, String userId) {
        return events.recorded(poolId, new SeatClaimed(poolId, orgId, seatId, userId, NOW));
    }

    private TrackedEventMessage<?> revoked(String seatId, SeatStatus previousStatus) {
        return events.recorded(poolId, new SeatRevoked(poolId, orgId, seatId, previousStatus, RevocationReason.REVOKED_BY_MANAGER, NOW));
    }
}
