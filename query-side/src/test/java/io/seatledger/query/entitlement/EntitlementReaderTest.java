package io.seatledger.query.entitlement;

import io.seatledger.query.ReadModelRows;
import io.seatledger.query.ReadPath;
import io.seatledger.readmodel.CounterKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EntitlementReader}: a user is entitled by a claimed seat in a pool in service (active, or past due within its
 * grace), answered by Redis's script or, with Redis down, by PostgreSQL, to the same rule; another tenant's seats of
 * the same user id never count.
 */
class EntitlementReaderTest {

    private static final Instant T0 = Instant.now();

    private final ReadPath path = ReadPath.get();
    private final ReadModelRows rows = new ReadModelRows(path.database());
    private final String orgId = "org-" + UUID.randomUUID();
    private final String active = "pool-a-" + UUID.randomUUID();
    private final String withinGrace = "pool-b-" + UUID.randomUUID();
    private final String graceExpired = "pool-c-" + UUID.randomUUID();
    private final String suspended = "pool-d-" + UUID.randomUUID();

    @Test
    void redisCountsOnlyClaimedSeatsInPoolsInService() {
        ReactiveStringRedisTemplate redis = path.completeRedis();
        poolInRedis(redis, active, "ACTIVE", "0");
        poolInRedis(redis, withinGrace, "PAST_DUE", "0");
        poolInRedis(redis, graceExpired, "PAST_DUE", "1");
        poolInRedis(redis, suspended, "SUSPENDED", "0");
        redis.opsForSet().add(CounterKeys.holderSet(orgId, "user-ada"),
                withinGrace + ":seat-2", active + ":seat-1", graceExpired + ":seat-3", suspended + ":seat-4").block();

        Entitlement entitlement = reader(redis).entitlement(orgId, "user-ada").block();

        assertThat(entitlement.entitled()).isTrue();
        assertThat(entitlement.seats()).containsExactly(new Entitlement.HeldSeat(active, "seat-1"), new Entitlement.HeldSeat(withinGrace, "seat-2"));
        assertThat(reader(redis).entitlement(orgId, "user-bob").block()).isEqualTo(Entitlement.of("user-bob", List.of()));
    }

    @Test
    void withRedisDownPostgresAppliesTheSameRule() {
        rows.pool(orgId, active, "ACTIVE", false, 5, 1, 2, T0);
        rows.pool(orgId, withinGrace, "PAST_DUE", false, 5, 0, 1, T0);
        rows.pool(orgId, graceExpired, "PAST_DUE", true, 5, 0, 1, T0);
        rows.seat(orgId, active, active + "-seat-1", "CLAIMED", "user-ada", T0);
        rows.seat(orgId, active, active + "-seat-2", "PENDING", null, T0);
        rows.seat(orgId, active, active + "-seat-3", "REVOKED", "user-ada", T0);
        rows.seat(orgId, withinGrace, withinGrace + "-seat-4", "CLAIMED", "user-ada", T0);
        rows.seat(orgId, graceExpired, graceExpired + "-seat-5", "CLAIMED", "user-ada", T0);
        String otherOrgId = "org-" + UUID.randomUUID();
        String othersPool = "pool-" + UUID.randomUUID();
        rows.pool(otherOrgId, othersPool, "ACTIVE", false, 5, 0, 1, T0);
        rows.seat(otherOrgId, othersPool, othersPool + "-seat", "CLAIMED", "user-ada", T0);

        Entitlement entitlement = reader(path.redisDown()).entitlement(orgId, "user-ada").block();

        assertThat(entitlement.seats()).containsExactly(new Entitlement.HeldSeat(active, active + "-seat-1"),
                new Entitlement.HeldSeat(withinGrace, withinGrace + "-seat-4"));
        assertThat(reader(path.redisDown()).entitlement(otherOrgId, "user-ada").block().seats())
                .containsExactly(new Entitlement.HeldSeat(othersPool, othersPool + "-seat"));
        assertThat(reader(path.redisDown()).entitlement(orgId, "user-bob").block().entitled()).isFalse();
    }

    @Test
    void aFlushedRedisIsNotTrustedForEntitlements() {
        rows.pool(orgId, active, "ACTIVE", false, 5, 0, 1, T0);
        rows.seat(orgId, active, active + "-seat-1", "CLAIMED", "user-ada", T0);

        Entitlement entitlement = reader(path.flushedRedis()).entitlement(orgId, "user-ada").block();

        assertThat(entitlement.seats()).as("the flushed Redis has no holder set; PostgreSQL has the seat")
                .containsExactly(new Entitlement.HeldSeat(active, active + "-seat-1"));
    }

    private void poolInRedis(ReactiveStringRedisTemplate redis, String poolId, String status, String graceExpired) {
        redis.<String, String>opsForHash().putAll(CounterKeys.pool(orgId, poolId), Map.of("status", status, "graceExpired", graceExpired)).block();
    }

    private EntitlementReader reader(ReactiveStringRedisTemplate redis) {
        return new EntitlementReader(redis, path.readSource(redis), path.tenant());
    }
}
