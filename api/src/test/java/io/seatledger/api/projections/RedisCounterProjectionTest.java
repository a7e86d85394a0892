package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.readmodel.LuaScripts;
import org.springframework.data.redis.core.script.RedisScript;
import io.seatledger.projections.counters.RedisCounterProjection;
import io.seatledger.projections.counters.RedisCounterRebuild;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import io.seatledger.query.ReadSource;
import io.seatledger.query.entitlement.Entitlement;
import io.seatledger.query.entitlement.EntitlementReader;
import io.seatledger.query.usage.Usage;
import io.seatledger.query.usage.UsageReader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis counters and entitlement sets agree with PostgreSQL, are never double-counted, and can be rebuilt. */
class RedisCounterProjectionTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired StringRedisTemplate redis;
    @Autowired EventProcessingConfiguration processing;
    @Autowired RedisCounterRebuild rebuild;
    @Autowired EntitlementReader entitlements;
    @Autowired UsageReader usage;
    @Autowired ReadSource readSource;

    private Processors processors;
    private String orgId;
    private String poolId;

    @BeforeEach
    void aPoolThroughALifecycle() {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        orgId = tenant.orgId();
        AuditMetadata manager = tenant.manager();
        poolId = SeatScenarios.poolThroughALifecycle(commands, orgId, manager);
        processors = new Processors(processing, jdbc);
        processors.awaitCaughtUp(RedisCounterProjection.PROCESSOR, SeatPoolProjection.PROCESSOR);
    }

    @Test
    void countersAndEntitlementsFollowTheEvents() {
        assertThat(redis.<String, String>opsForHash().entries(CounterKeys.pool(orgId, poolId)))
                .containsEntry("capacity", "8").containsEntry("pending", "1").containsEntry("claimed", "1").containsEntry("status", "ACTIVE");
        String adasSeat = jdbc.queryForObject("select seat_id from read_model.seats where pool_id = ? and holder_user_id = 'user-ada'", String.class, poolId);
        assertThat(redis.opsForSet().members(CounterKeys.holderSet(orgId, "user-ada"))).containsExactly(poolId + ":" + adasSeat);
        assertThat(redis.opsForSet().members(CounterKeys.pools(orgId))).containsExactly(poolId);
    }

    @Test
    void redeliveringEveryEventChangesNoCount() {
        Map<String, String> before = everyCounterOf(orgId);
        processors.replayFromTheStart(() -> { }, RedisCounterProjection.PROCESSOR);
        assertThat(everyCounterOf(orgId)).isEqualTo(before);
    }

    @Test
    void eventsOfAPoolSentTogetherApplyOnlyThoseAfterItsPosition() {
        String org = "org-" + java.util.UUID.randomUUID();
        String pool = java.util.UUID.randomUUID().toString();
        poolAppliedUpTo5(org, pool);
        // as after a crash between Redis and the token: events up to 5 were applied, the batch comes again with more
        Long applied = redis.execute(RedisCounterProjection.APPLY, RedisCounterProjection.scriptKeys(org, pool),
                CounterKeys.holderSetPrefix(org), pool, "-1",
                "3", "1", "incr", "pending", "1",
                "5", "1", "incr", "pending", "1",
                "7", "1", "incr", "pending", "1",
                "9", "2", "incr", "pending", "-1", "incr", "claimed", "1");

        assertThat(applied).isEqualTo(2);
        assertThat(redis.<String, String>opsForHash().entries(CounterKeys.pool(org, pool)))
                .containsEntry("pending", "2").containsEntry("claimed", "1").containsEntry("position", "9");
        assertThat(redis.<String, String>opsForHash().entries(CounterKeys.usage(org)))
                .as("the organization's usage moves by the applied events only")
                .doesNotContainKey("pending").containsEntry("claimed", "1").containsEntry("available", "-1");
    }

    /**
     * One pool's events can be split over several calls of a pipeline. If the rebuild's mark went between them, the
     * earlier call was refused and the later one must be too: applied, it would raise the pool's position past the
     * earlier events, and the pipeline sent again would skip them for good.
     */
    @Test
    void aCallWhosePoolsEarlierEventsOfThePipelineWereNotAppliedIsRefused() {
        String org = "org-" + java.util.UUID.randomUUID();
        String pool = java.util.UUID.randomUUID().toString();
        poolAppliedUpTo5(org, pool);
        Map<String, String> before = everyCounterOf(org);

        Long refused = redis.execute(RedisCounterProjection.APPLY, RedisCounterProjection.scriptKeys(org, pool),
                CounterKeys.holderSetPrefix(org), pool, "7", "9", "1", "incr", "pending", "1");
        assertThat(refused).as("event 7, sent earlier in the pipeline, is not applied").isEqualTo(-1);
        assertThat(everyCounterOf(org)).isEqualTo(before);

        Long applied = redis.execute(RedisCounterProjection.APPLY, RedisCounterProjection.scriptKeys(org, pool),
                CounterKeys.holderSetPrefix(org), pool, "5", "9", "1", "incr", "pending", "1");
        assertThat(applied).as("event 5 is applied: 9 may follow").isEqualTo(1);
        assertThat(redis.opsForHash().get(CounterKeys.pool(org, pool), "position")).isEqualTo("9");
    }

    @Test
    void usageSumsThePoolsInService() {
        assertThat(redis.<String, String>opsForHash().entries(CounterKeys.usage(orgId)))
                .containsEntry("capacity", "8").containsEntry("pending", "1").containsEntry("claimed", "1")
                .containsEntry("available", "6").containsEntry("pools", "1");
        assertThat(jdbc.queryForMap("select capacity, pending, claimed, available, pools from read_model.org_usage where org_id = ?", orgId))
                .containsEntry("capacity", 8).containsEntry("pending", 1).containsEntry("claimed", 1)
                .containsEntry("available", 6).containsEntry("pools", 1);
    }

    @Test
    void afterRedisLostEverythingEntitlementsAreAnsweredFromPostgresUntilTheCountersAreRebuilt() {
        Map<String, String> before = everyCounterOf(orgId);
        Entitlement adaBefore = entitlements.entitlement(orgId, "user-ada").block();
        assertThat(adaBefore.entitled()).isTrue();
        long fallbacks = readSource.fallbacks();

        redis.getRequiredConnectionFactory().getConnection().serverCommands().flushAll();
        assertThat(redis.opsForHash().entries(CounterKeys.pool(orgId, poolId))).isEmpty();

        // Meanwhile: the same answers, from PostgreSQL.
        assertThat(entitlements.entitlement(orgId, "user-ada").block()).isEqualTo(adaBefore);
        assertThat(entitlements.entitlement(orgId, "user-nobody").block().entitled()).isFalse();
        assertThat(usage.usage(orgId).block()).isEqualTo(new Usage(8, 1, 1, 6, 1));
        assertThat(readSource.fallbacks()).isGreaterThanOrEqualTo(fallbacks + 3);

        // The completeness check notices the loss by itself and rebuilds.
        await().atMost(Duration.ofSeconds(30)).until(rebuild::complete);
        processors.awaitCaughtUp(RedisCounterProjection.PROCESSOR);
        long fallbacksAfterRebuild = readSource.fallbacks();
        assertThat(entitlements.entitlement(orgId, "user-ada").block()).isEqualTo(adaBefore);
        assertThat(readSource.fallbacks()).isEqualTo(fallbacksAfterRebuild);

        assertThat(everyCounterOf(orgId)).isEqualTo(before);
        List<Map<String, Object>> pools = jdbc.queryForList("select org_id, pool_id, capacity, pending, claimed, status from read_model.seat_pools");
        assertThat(pools).isNotEmpty().allSatisfy(pool -> assertThat(redis.<String, String>opsForHash()
                .entries(CounterKeys.pool((String) pool.get("org_id"), (String) pool.get("pool_id"))))
                .containsEntry("capacity", String.valueOf(pool.get("capacity")))
                .containsEntry("pending", String.valueOf(pool.get("pending")))
                .containsEntry("claimed", String.valueOf(pool.get("claimed")))
                .containsEntry("status", (String) pool.get("status")));
    }

    /**
     * While the counters refuse every batch (Redis lost, then the copy being made), the counter processor waits twice
     * as long after each failed batch of a segment before claiming it again, up to a minute. Once the copy is
     * complete, the next change is counted at once, not after that back-off.
     */
    @Test
    void afterARebuildTheCountersFollowTheNextChangeAtOnceNotAfterTheProcessorsBackOff() throws InterruptedException {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String pool = SeatScenarios.pool(commands, tenant.orgId(), tenant.manager(), 100);
        processors.awaitCaughtUp(RedisCounterProjection.PROCESSOR);
        redis.opsForValue().set(CounterKeys.REBUILDING, "1");
        int assigned = 0;
        try {
            // A change a second for 20 s, every batch refused: each batch waits 5 s in place and fails, and after each
            // failure the segment is kept away longer (1, 2, 4 s).
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < until) {
                assign(commands, tenant, pool);
                assigned++;
                Thread.sleep(1_000);
            }
            assertThat(redis.opsForHash().get(CounterKeys.pool(tenant.orgId(), pool), "pending")).as("no batch applied while refused").isIn(null, "0");
        } finally {
            redis.delete(CounterKeys.REBUILDING);
        }
        redis.delete(CounterKeys.COMPLETE);
        rebuild.rebuild();
        assertThat(rebuild.complete()).isTrue();
        int copied = Integer.parseInt((String) redis.opsForHash().get(CounterKeys.pool(tenant.orgId(), pool), "pending"));
        assertThat(copied).as("the copy holds every change made while the counters refused").isEqualTo(assigned);

        assign(commands, tenant, pool);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(
                redis.opsForHash().get(CounterKeys.pool(tenant.orgId(), pool), "pending")).isEqualTo(String.valueOf(copied + 1)));
    }

    /**
     * A rebuild ends only its own mark. One whose mark expired and was taken by another rebuild leaves that mark alone and
     * does not declare the counters complete (the other rebuild may have deleted them); one that still holds its mark
     * removes it and declares them complete in the same step. And while any rebuild holds the mark, no other starts.
     */
    @Test
    void aRebuildEndsOnlyItsOwnMarkAndNoneStartsWhileAnotherHoldsIt() {
        RedisScript<Long> end = RedisScript.of(LuaScripts.text("redis/end-counter-rebuild.lua"), Long.class);
        List<String> keys = List.of(CounterKeys.REBUILDING, CounterKeys.COMPLETE);
        try {
            redis.opsForValue().set(CounterKeys.REBUILDING, "the-other-rebuild");
            redis.delete(CounterKeys.COMPLETE);
            rebuild.rebuild();
            assertThat(redis.opsForValue().get(CounterKeys.REBUILDING)).as("no second rebuild started").isEqualTo("the-other-rebuild");
            assertThat(rebuild.complete()).isFalse();

            assertThat(redis.execute(end, keys, "an-expired-rebuild", "1")).isZero();
            assertThat(redis.opsForValue().get(CounterKeys.REBUILDING)).as("another rebuild's mark is left").isEqualTo("the-other-rebuild");
            assertThat(rebuild.complete()).as("not declared complete by a rebuild that no longer owns the copy").isFalse();

            // (a mark is held at every step, so the service's own completeness check cannot start a rebuild in between)
            redis.opsForValue().set(CounterKeys.REBUILDING, "a-rebuild");
            assertThat(redis.execute(end, keys, "a-rebuild", "1")).isEqualTo(1L);
            assertThat(redis.hasKey(CounterKeys.REBUILDING)).isFalse();
            assertThat(rebuild.complete()).as("complete as the mark goes").isTrue();

            redis.opsForValue().set(CounterKeys.REBUILDING, "a-failed-rebuild");
            redis.delete(CounterKeys.COMPLETE);
            assertThat(redis.execute(end, keys, "a-failed-rebuild", "0")).as("a failed rebuild removes its mark").isEqualTo(1L);
            assertThat(redis.hasKey(CounterKeys.REBUILDING)).isFalse();
            assertThat(rebuild.complete()).as("a failed copy is not complete").isFalse();
        } finally {
            redis.delete(CounterKeys.REBUILDING);
            rebuild.rebuild();
        }
        assertThat(rebuild.complete()).isTrue();
    }

    /** Usage is copied in pipelines of 500 organizations: a rebuild over 1,201 of them copies every one. */
    @Test
    void aRebuildCopiesTheUsageOfMoreOrganizationsThanOnePipelineHolds() {
        String prefix = "usage-copy-" + java.util.UUID.randomUUID() + "-";
        int organizations = 1_201;
        jdbc.batchUpdate("insert into read_model.org_usage (org_id, capacity, pending, claimed, available, pools, position) values (?, ?, 0, ?, ?, 1, 1)",
                java.util.stream.IntStream.range(0, organizations).mapToObj(i -> new Object[]{prefix + i, 10 + i, i % 7, 10 + i - i % 7}).toList());
        try {
            redis.delete(CounterKeys.COMPLETE);
            rebuild.rebuild();
            assertThat(rebuild.complete()).isTrue();
            for (int i = 0; i < organizations; i++) {
                assertThat(redis.<String, String>opsForHash().entries(CounterKeys.usage(prefix + i))).as(prefix + i)
                        .containsEntry("capacity", String.valueOf(10 + i)).containsEntry("claimed", String.valueOf(i % 7))
                        .containsEntry("available", String.valueOf(10 + i - i % 7)).containsEntry("pools", "1");
            }
        } finally {
            jdbc.update("delete from read_model.org_usage where org_id like ?", prefix + "%");
            java.util.stream.IntStream.range(0, organizations).forEach(i -> redis.delete(CounterKeys.usage(prefix + i)));
        }
    }

    private static void assign(Commands commands, SeatScenarios.Tenant tenant, String pool) {
        String seatId = java.util.UUID.randomUUID().toString();
        commands.send(new AssignSeat(pool, tenant.orgId(), seatId, seatId + "@acme.example", false, null, Map.of()), tenant.manager());
    }

    /** An active pool of 10 seats, 2 pending, whose counters have applied the events up to position 5. */
    private void poolAppliedUpTo5(String org, String pool) {
        redis.opsForHash().putAll(CounterKeys.pool(org, pool), Map.of("status", "ACTIVE", "graceExpired", "0", "capacity", "10",
                "pending", "2", "claimed", "0", "position", "5"));
    }

    /** Every counter, holder and set member of the organization, as one comparable map. */
    private Map<String, String> everyCounterOf(String org) {
        Map<String, String> all = new TreeMap<>();
        for (String key : redis.keys(CounterKeys.PREFIX + "{" + org + "}*")) {
            switch (redis.type(key).code()) {
                case "hash" -> redis.<String, String>opsForHash().entries(key).forEach((field, value) -> all.put(key + "#" + field, value));
                case "set" -> redis.opsForSet().members(key).forEach(member -> all.put(key + "@" + member, "member"));
                default -> all.put(key, redis.type(key).code());
            }
        }
        return all;
    }
}
