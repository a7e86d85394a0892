package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.organization.OrganizationProjection;
import io.seatledger.projections.rebuild.ProjectionProgress;
import io.seatledger.projections.rebuild.RebuildProgress;
import io.seatledger.projections.rebuild.ShadowRebuild;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.seatpool.SeatPoolReader;
import io.seatledger.query.seatpool.SeatPoolView;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A projection rebuilt from the first event into shadow tables, swapped in while readers keep reading. */
class ShadowRebuildTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired EventProcessingConfiguration processing;
    @Autowired ShadowRebuild rebuild;
    @Autowired ProjectionProgress progress;
    @Autowired SeatPoolReader pools;

    @Test
    void theRebuiltReadModelIsIdenticalAndReadersNeverSeeItEmpty() {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String poolId = SeatScenarios.poolThroughALifecycle(commands, tenant.orgId(), tenant.manager());
        Processors processors = new Processors(processing, jdbc);
        processors.awaitCaughtUp(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);
        String orgId = tenant.orgId();
        String seatPools = rows("read_model.seat_pools", "pool_id", orgId) + rows("read_model.seats", "seat_id", orgId)
                + rows("read_model.org_usage", "org_id", orgId);
        String organizations = rows("read_model.organizations", "org_id", orgId);
        String audit = rows("audit.entries", "position", orgId);
        String feed = rows("audit.feed", "seq", orgId);
        SeatPoolView before = pools.pool(tenant.orgId(), poolId).block();

        assertThat(rebuild.start(SeatPoolProjection.PROCESSOR)).isTrue();
        assertThat(rebuild.start(SeatPoolProjection.PROCESSOR)).as("one rebuild at a time").isFalse();
        List<SeatPoolView> seenMeanwhile = new ArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            seenMeanwhile.add(pools.pool(tenant.orgId(), poolId).block());
            reads.incrementAndGet();
            return rebuild.progress(SeatPoolProjection.PROCESSOR).orElseThrow().phase() == RebuildProgress.Phase.DONE;
        });
        assertThat(seenMeanwhile).as("read during the rebuild").allSatisfy(view -> assertThat(view).isEqualTo(before));

        RebuildProgress done = rebuild.progress(SeatPoolProjection.PROCESSOR).orElseThrow();
        assertThat(done.position()).isGreaterThanOrEqualTo(progress.headPosition() - 0);
        assertThat(done.lag()).isZero();
        assertThat(jdbc.queryForObject("select min(position) from read_model.processed_positions where processor = ?", Long.class,
                SeatPoolProjection.PROCESSOR)).as("the live processor goes on from where the rebuild got").isGreaterThanOrEqualTo(done.position());
        assertThat(rebuild.start(OrganizationProjection.PROCESSOR)).isTrue();
        assertThat(rebuild.start(AuditTrailProjection.PROCESSOR)).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> rebuild.progress(OrganizationProjection.PROCESSOR).orElseThrow().phase() == RebuildProgress.Phase.DONE
                && rebuild.progress(AuditTrailProjection.PROCESSOR).orElseThrow().phase() == RebuildProgress.Phase.DONE);

        assertThat(rows("read_model.seat_pools", "pool_id", orgId) + rows("read_model.seats", "seat_id", orgId)
                + rows("read_model.org_usage", "org_id", orgId)).isEqualTo(seatPools);
        assertThat(rows("read_model.organizations", "org_id", orgId)).isEqualTo(organizations);
        assertThat(rows("audit.entries", "position", orgId)).isEqualTo(audit);
        assertThat(rows("audit.feed", "seq", orgId)).as("the swap re-inserts every entry; each keeps its feed number").isEqualTo(feed);
        assertThat(jdbc.queryForObject("select count(*) from axon.token_entry where processor_name like '%.rebuild'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from pg_tables where schemaname in ('read_model_rebuild', 'audit_rebuild')", Integer.class)).isZero();

        // The live processor carries on from the rebuild's tokens.
        String secondPool = SeatScenarios.poolThroughALifecycle(commands, tenant.orgId(), tenant.manager());
        processors.awaitCaughtUp(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);
        assertThat(pools.pool(tenant.orgId(), secondPool).block().capacity()).isEqualTo(8);
        assertThat(jdbc.queryForMap("select count(*) as entries, max(f.seq) as newest from audit.entries a join audit.feed f on f.position = a.position"
                + " where a.org_id = ?", orgId)).as("entries after the swap continue the numbering without a gap")
                .isEqualTo(java.util.Map.of("entries", (long) jdbc.queryForObject("select count(*) from audit.entries where org_id = ?", Long.class, orgId),
                        "newest", (long) jdbc.queryForObject("select count(*) from audit.entries where org_id = ?", Long.class, orgId)));
        assertThat(progress.all()).filteredOn(p -> p.name().equals(SeatPoolProjection.PROCESSOR))
                .singleElement().satisfies(p -> {
                    assertThat(p.status()).isEqualTo("running");
                    assertThat(p.lag()).isZero();
                });
    }

    /** The organization's rows (other tests' deadlines may still add events elsewhere meanwhile). */
    private String rows(String table, String order, String orgId) {
        return String.join("\n", jdbc.queryForList("select t::text from " + table + " t where org_id = ? order by " + order, String.class, orgId)) + "\n";
    }
}
