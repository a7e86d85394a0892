package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Other instances see a segment's progress only in the token store ({@code read_model.processed_positions}), and a
 * segment with nothing of its own to handle stores it only every so often (Axon's default: every 5 s). The service stores
 * it every second, so a read waiting for a position, or a stream's lag claim, made on another instance trails by about
 * that much. Three times in a row, one organization's change: every segment of the two processors a stream waits for,
 * those that do not hold the organization included, has stored a position at or past it within 2.5 s.
 */
class IdleSegmentProgressTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;

    @Test
    void everySegmentStoresItsProgressPastAnotherSegmentsChangeWithinASecondOrSo() {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        for (int round = 0; round < 3; round++) {
            String pool = SeatScenarios.pool(commands, tenant.orgId(), tenant.manager(), 5);
            long position = jdbc.queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
            long changed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(jdbc.queryForList(
                    "select position from read_model.processed_positions where processor in (?, ?)", Long.class,
                    AuditTrailProjection.PROCESSOR, SeatPoolProjection.PROCESSOR)).hasSizeGreaterThan(2).allSatisfy(stored ->
                    assertThat(stored).isGreaterThanOrEqualTo(position)));
            Duration stored = Duration.ofNanos(System.nanoTime() - changed);
            System.out.printf("every segment stored its progress past a change of pool %s after %d ms%n", pool, stored.toMillis());
            assertThat(stored).as("round %d: not Axon's 5 s", round).isLessThan(Duration.ofMillis(2_500));
        }
    }
}
