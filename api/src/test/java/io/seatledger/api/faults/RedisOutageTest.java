package io.seatledger.api.faults;

import io.seatledger.readmodel.CounterKeys;
import io.seatledger.query.entitlement.Entitlement;
import io.seatledger.query.entitlement.EntitlementReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Redis (counters, entitlement sets, rate-limit buckets) killed for 10 s mid-load and started again empty: writes
 * and entitlement checks go on from PostgreSQL throughout, and once Redis is back the counters are rebuilt on their
 * own and equal the recount from the events.
 */
class RedisOutageTest extends FaultTest {

    static final Duration DOWN = Duration.ofSeconds(10);

    @Autowired EntitlementReader entitlements;
    @Value("${seatledger.redis.read-timeout:250ms}") Duration redisReadTimeout;

    @Test
    void redisLostForTenSecondsMidLoadIsRebuiltWhileWritesAndChecksGoOn() {
        TenantLoad load = TenantLoad.start(port, tokens, TENANTS, SEATS);
        double recovery;
        boolean stopped = false;
        try {
            loadFor(Duration.ofSeconds(3));
            load.phase("outage");
            servers.stopRedis();
            stopped = true;
            long down = System.nanoTime();
            loadFor(Duration.ofSeconds(1));
            commandsAreRefusedAtOnceWhileRedisIsAway();
            entitlementChecksFromPostgres(load.tenants().get(0));
            loadFor(DOWN.minusNanos(System.nanoTime() - down));
            servers.startRedis(true);
            stopped = false;
            long back = System.nanoTime();
            load.phase("after");
            // after 10 s away, Lettuce's default back-off would try again 8 to 16 s apart; ours, at most 1 s apart
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                    .until(() -> redis.hasKey(CounterKeys.COMPLETE) || true);
            double reconnected = (System.nanoTime() - back) / 1e9;
            System.out.printf("%nthe service's Redis connection answered again %.2f s after Redis came back%n", reconnected);
            assertThat(reconnected).as("reconnect attempts at most a second apart").isLessThan(4.0);
            // the completeness check finds the empty Redis and rebuilds the counters while the load goes on
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> redis.hasKey(CounterKeys.COMPLETE));
            recovery = (System.nanoTime() - back) / 1e9;
            loadFor(Duration.ofSeconds(3));
        } finally {
            if (stopped) {
                servers.startRedis(true);
            }
            load.close();
        }
        Duration catchUp = recount.awaitAgreement(load.tenants(), Duration.ofSeconds(60));
        assertContract("Redis killed " + DOWN.toSeconds() + " s, restarted empty", load, Set.of(), recovery, catchUp);
        assertThat(load.firstAcknowledgedWriteIn("outage")).as("writes went on while Redis was down").isPresent();
    }

    /** A Redis command while the connection is down fails at once, not after the command timeout (2 s) or a reconnect. */
    private void commandsAreRefusedAtOnceWhileRedisIsAway() {
        long asked = System.nanoTime();
        assertThatThrownBy(() -> redis.hasKey(CounterKeys.COMPLETE)).isInstanceOf(DataAccessException.class);
        // well under the 2 s command timeout, with room for a collection pause on a loaded machine
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("refused without waiting").isLessThan(Duration.ofSeconds(1));
    }

    /**
     * Entitlement checks asked of the reader directly (no rate limiter in front) while Redis is down: right, and
     * answered by PostgreSQL without waiting for Redis's timeout each time.
     */
    private void entitlementChecksFromPostgres(TenantLoad.Tenant tenant) {
        TenantLoad.Holder holder = tenant.anchors().get(0);
        long[] millis = new long[20];
        for (int i = 0; i < millis.length; i++) {
            long asked = System.nanoTime();
            Entitlement entitlement = entitlements.entitlement(tenant.orgId(), holder.userId()).block();
            millis[i] = (System.nanoTime() - asked) / 1_000_000;
            assertThat(entitlement.seats()).extracting(Entitlement.HeldSeat::seatId).contains(holder.seatId());
        }
        java.util.Arrays.sort(millis);
        System.out.printf("%nentitlement checks from PostgreSQL while Redis is down: median %d ms, slowest %d ms%n", millis[10], millis[19]);
        assertThat(millis[10]).as("median ms: a down Redis is not waited for on every check").isLessThan(redisReadTimeout.toMillis());
    }
}
