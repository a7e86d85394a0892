package io.seatledger.api.faults;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL (event store, read models, audit trail) stopped and restarted mid-load on the same port and data: while
 * it is down the service answers 503 with Retry-After (entitlement checks keep answering from Redis), and
 * once it is back writes are acknowledged again, nothing acknowledged is lost and every copy equals the events.
 */
class PostgresOutageTest extends FaultTest {

    static final Duration DOWN = Duration.ofSeconds(5);

    @Test
    void aPostgresRestartMidLoadLosesNothingAndEveryCopyCatchesUp() {
        TenantLoad load = TenantLoad.start(port, tokens, TENANTS, SEATS);
        double recovery;
        boolean stopped = false;
        try {
            loadFor(Duration.ofSeconds(3));
            load.phase("outage");
            servers.stopPostgres();
            stopped = true;
            loadFor(DOWN);
            servers.startPostgres();
            stopped = false;
            long back = System.nanoTime();
            load.phase("after");
            recovery = awaitFirstWrite(load, "after", back, Duration.ofSeconds(30));
            loadFor(Duration.ofSeconds(3));
        } finally {
            if (stopped) {
                servers.startPostgres();
            }
            load.close();
        }
        Duration catchUp = recount.awaitAgreement(load.tenants(), Duration.ofSeconds(60));
        assertContract("PostgreSQL stopped " + DOWN.toSeconds() + " s, restarted", load, Set.of("outage"), recovery, catchUp);
        // the outage was no event's fault: the projections retried their batches, and no tenant's events wait behind a letter
        assertThat(jdbc.queryForObject("select count(*) from axon.dead_letter_entry where sequence_identifier = any(?)", Long.class,
                (Object) load.tenants().stream().map(TenantLoad.Tenant::orgId).toArray(String[]::new)))
                .as("events dead-lettered because the database was away").isZero();
    }
}
