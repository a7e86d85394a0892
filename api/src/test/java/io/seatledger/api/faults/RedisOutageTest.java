package io.seatledger.api.faults;

import io.seatledger.messages.readmodel.CounterKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis (counters, entitlement sets, rate-limit buckets) killed for 10 s mid-load and started again empty: writes
 * and entitlement checks go on from PostgreSQL throughout, and once Redis is back the counters are rebuilt on their
 * own and equal the recount from the events.
 */
class RedisOutageTest extends FaultTest {

    static final Duration DOWN = Duration.ofSeconds(10);

    @Test
    void redisLostForTenSecondsMidLoadIsRebuiltAndNobodyNoticesButTheMetrics() {
        TenantLoad load = TenantLoad.start(port, tokens, TENANTS, SEATS);
        double recovery;
        boolean stopped = false;
        try {
            loadFor(Duration.ofSeconds(3));
            load.phase("outage");
            servers.stopRedis();
            stopped = true;
            loadFor(DOWN);
            servers.startRedis(true);
            stopped = false;
            long back = System.nanoTime();
            load.phase("after");
            // the completeness check finds the empty Redis and rebuilds the counters while the load goes on
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> redis.hasKey(CounterKeys.COMPLETE));
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
}
