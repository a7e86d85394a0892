package io.seatledger.api.faults;

import io.seatledger.api.config.projections.DeadLetterConfiguration;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.SeatPoolRowRefusal;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seat-pool projection fails on every event of one tenant mid-load (its table refuses the tenant's rows): that
 * tenant's events wait in the dead-letter queue, in order, while the other tenants' read models keep up; once the
 * failure is gone, the retry applies them and every copy equals the recount.
 */
class ProjectionFailureTest extends FaultTest {

    @Autowired DeadLetterConfiguration.DeadLetterRetry deadLetters;
    /** Triggers are the tables' owner's to add (the service's own role may not). */
    @Autowired DatabaseOwner owner;

    @AfterEach
    void healTheTable() {
        SeatPoolRowRefusal.heal(owner);
    }

    @Test
    void oneTenantsFailingProjectionHoldsUpNobodyElseAndIsRepairedByTheRetry() {
        TenantLoad load = TenantLoad.start(port, tokens, TENANTS, SEATS);
        TenantLoad.Tenant failing = load.tenants().get(0);
        List<TenantLoad.Tenant> healthy = load.tenants().subList(1, TENANTS);
        try {
            loadFor(Duration.ofSeconds(3));
            load.phase("failing");
            refuseRowsOf(failing.orgId());
            loadFor(Duration.ofSeconds(8));
        } finally {
            load.close();
        }
        Duration othersCaughtUp = recount.awaitAgreement(healthy, Duration.ofSeconds(30));
        assertThat(recount.differences(failing)).as("the failing tenant's read model is held back").isNotEmpty();
        assertThat(lettersOf(failing.orgId())).as("its events wait in the dead-letter queue").isPositive();

        healTheTable();
        long healed = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            deadLetters.retry();
            assertThat(lettersOf(failing.orgId())).isZero();
        });
        Duration catchUp = recount.awaitAgreement(load.tenants(), Duration.ofSeconds(30));
        double recovery = (System.nanoTime() - healed) / 1e9;

        System.out.printf("%nother tenants' copies agreed %.1f s after the load stopped, while the failure was still in place%n",
                othersCaughtUp.toMillis() / 1e3);
        assertContract("seat-pool projection failing for 1 of " + TENANTS + " tenants, 8 s, then dead letters retried", load, Set.of("failing"),
                recovery, catchUp);
        assertThat(load.answers()).as("only the failing tenant waits for its read model").filteredOn(answer -> answer.status() == 503)
                .allSatisfy(answer -> assertThat(answer.tenant()).isEqualTo(failing.orgId()));
        assertThat(load.answers()).as("the other tenants kept writing while it failed")
                .filteredOn(answer -> answer.phase().equals("failing") && !answer.tenant().equals(failing.orgId()) && answer.status() / 100 == 2)
                .isNotEmpty();
    }

    private void refuseRowsOf(String orgId) {
        SeatPoolRowRefusal.refuse(owner, orgId);
    }

    private int lettersOf(String orgId) {
        return jdbc.queryForObject("select count(*) from axon.dead_letter_entry where processing_group = ? and sequence_identifier = ?",
                Integer.class, SeatPoolProjection.PROCESSOR, orgId);
    }
}
