package io.seatledger.api.faults;

import io.seatledger.query.entitlement.Entitlement;
import io.seatledger.query.entitlement.EntitlementReader;
import io.seatledger.readmodel.CounterKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Redis that hangs rather than goes away (its process stopped with SIGSTOP for 8 s mid-load: the connection stays open,
 * nothing answers). A Redis command fails after the 2 s command timeout, not Lettuce's default minute; entitlement
 * checks answer from PostgreSQL meanwhile; writes go on; once Redis runs again it answers at once, and every copy
 * agrees with the events.
 */
class RedisHangsTest extends FaultTest {

    static final Duration HUNG = Duration.ofSeconds(8);
    /** spring.data.redis.timeout */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    @Autowired EntitlementReader entitlements;

    @Test
    void aHungRedisCostsACommandItsTimeoutAndChecksAndWritesGoOn() throws Exception {
        long pid = Long.parseLong(redis.execute((org.springframework.data.redis.core.RedisCallback<String>) connection ->
                connection.serverCommands().info("server").getProperty("process_id")).trim());
        TenantLoad load = TenantLoad.start(port, tokens, TENANTS, SEATS);
        boolean stopped = false;
        double backSeconds;
        try {
            loadFor(Duration.ofSeconds(3));
            load.phase("hung");
            stopped = true;
            signal("STOP", pid);
            long hung = System.nanoTime();

            long asked = System.nanoTime();
            assertThatThrownBy(() -> redis.hasKey(CounterKeys.COMPLETE)).isInstanceOf(DataAccessException.class);
            Duration waited = Duration.ofNanos(System.nanoTime() - asked);
            System.out.printf("%na Redis command while Redis hung failed after %d ms%n", waited.toMillis());
            assertThat(waited).as("the command timeout, not Lettuce's default minute")
                    .isGreaterThanOrEqualTo(COMMAND_TIMEOUT.minusMillis(200)).isLessThan(COMMAND_TIMEOUT.plusMillis(1500));

            TenantLoad.Holder holder = load.tenants().get(0).anchors().get(0);
            long[] millis = new long[5];
            for (int i = 0; i < millis.length; i++) {
                asked = System.nanoTime();
                Entitlement entitlement = entitlements.entitlement(load.tenants().get(0).orgId(), holder.userId()).block();
                millis[i] = (System.nanoTime() - asked) / 1_000_000;
                assertThat(entitlement.seats()).extracting(Entitlement.HeldSeat::seatId).contains(holder.seatId());
            }
            java.util.Arrays.sort(millis);
            assertThat(millis[2]).as("median ms: answered from PostgreSQL within the reader's own short timeout, not Redis's 2 s")
                    .isLessThan(1_000);

            // over HTTP, once reads try Redis again (a second after it failed): the check waits for Redis no longer than the
            // reader's timeout, whichever path answers it (the rate limiter's Redis is hung too)
            Thread.sleep(1_100);
            asked = System.nanoTime();
            load.tenants().get(0).manager().get().uri("/api/v1/orgs/{org}/entitlements/{user}", load.tenants().get(0).orgId(), holder.userId())
                    .exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.entitled").isEqualTo(true).jsonPath("$.seats[*].seatId").value(seats -> assertThat(seats.toString()).contains(holder.seatId()));
            long overHttp = (System.nanoTime() - asked) / 1_000_000;
            System.out.printf("an entitlement check over HTTP while Redis hung took %d ms%n", overHttp);
            assertThat(overHttp).as("ms: answered from PostgreSQL, not after Redis's 2 s").isLessThan(1_000);

            loadFor(HUNG.minusNanos(System.nanoTime() - hung));
            signal("CONT", pid);
            stopped = false;
            long resumed = System.nanoTime();
            redis.hasKey(CounterKeys.COMPLETE);
            backSeconds = (System.nanoTime() - resumed) / 1e9;
            assertThat(backSeconds).as("the connection was kept: answers at once").isLessThan(2.0);
            load.phase("after");
            loadFor(Duration.ofSeconds(3));
        } finally {
            try {
                if (stopped) {
                    signal("CONT", pid);
                }
            } finally {
                load.close();
            }
        }
        Duration catchUp = recount.awaitAgreement(load.tenants(), Duration.ofSeconds(60));
        assertContract("Redis hung " + HUNG.toSeconds() + " s (SIGSTOP)", load, Set.of(), backSeconds, catchUp);
        assertThat(load.firstAcknowledgedWriteIn("hung")).as("writes went on while Redis hung").isPresent();
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal + " " + pid).isTrue();
    }
}
