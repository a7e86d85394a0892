package io.seatledger.api.projections;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.Processors;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.rebuild.RebuildProgress;
import io.seatledger.projections.rebuild.ShadowRebuild;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.audit.AuditVerifier;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chain holds under ordinary concurrency: two NDJSON bulk assignments into one pool while four clients assign and
 * revoke single seats in a second pool and a third pool is resized, all in one organization, so that transactions
 * commit out of global-index order. The trail then verifies, and a rebuild from the event store reproduces every
 * entry byte for byte, hashes included (the rebuild's swap refuses any difference).
 */
class AuditChainConcurrencyTest extends ApiTest {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final int BULK = 2_000;

    @Autowired JdbcTemplate jdbc;
    @Autowired EventProcessingConfiguration processing;
    @Autowired AuditVerifier verifier;
    @Autowired ShadowRebuild rebuild;

    @Override
    protected String organizationId() {
        return "audit-load-org";
    }

    @Test
    void concurrentBulkAndSingleCommandsVerifyAndRebuildIdentically() {
        String bulkPool = buyPool(2 * BULK + 10);
        String singlesPool = buyPool(2_000);
        String resizedPool = buyPool(20);
        ExecutorService clients = Executors.newFixedThreadPool(7);
        try {
            List<CompletableFuture<?>> work = new ArrayList<>();
            List<CompletableFuture<?>> bulks = new ArrayList<>();
            for (int bulk = 0; bulk < 2; bulk++) {
                int batch = bulk;
                bulks.add(CompletableFuture.runAsync(() -> {
                    String body = IntStream.range(0, BULK).mapToObj(i -> "{\"email\":\"bulk-" + batch + "-" + i + "@example.com\"}")
                            .collect(Collectors.joining("\n"));
                    manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, bulkPool).contentType(NDJSON).bodyValue(body)
                            .exchange().expectStatus().isOk();
                }, clients));
            }
            work.addAll(bulks);
            // single commands go on until both bulks are stored, so that some of them always land between the bulks' events
            CompletableFuture<Void> bulksStored = CompletableFuture.allOf(bulks.toArray(CompletableFuture[]::new));
            for (int client = 0; client < 4; client++) {
                int number = client;
                work.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 25 || !bulksStored.isDone() && i < 400; i++) {
                        // the write alone (no read at its position): the projections run behind the bulks meanwhile
                        Map<?, ?> seat = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, singlesPool)
                                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "single-" + number + "-" + i + "@example.com"))
                                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
                        if (i % 5 == 4) {
                            manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, singlesPool, seat.get("seatId"))
                                    .header("Seat-Ledger-Reason", "left%20the%20team").exchange().expectStatus().isOk();
                        }
                    }
                }, clients));
            }
            work.add(CompletableFuture.runAsync(() -> {
                for (int seats = 21; seats <= 30; seats++) {
                    manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, resizedPool).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Map.of("seats", seats, "effective", "now", "prorationBehavior", "none")).exchange().expectStatus().isOk();
                }
            }, clients));
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
        } finally {
            clients.shutdownNow();
        }
        new Processors(processing, jdbc).awaitCaughtUp(AuditTrailProjection.PROCESSOR, SeatPoolProjection.PROCESSOR);
        assertThat(jdbc.queryForList("select processing_group || ' ' || payload_type || ': ' || cause_type from axon.dead_letter_entry"
                + " where sequence_identifier = ?", String.class, orgId)).as("events of the organization held back in a dead-letter queue").isEmpty();

        long events = jdbc.queryForObject("""
                select count(*) from events.domain_event_entry where aggregate_identifier = ?
                    or aggregate_identifier in (select pool_id from read_model.seat_pools where org_id = ?)""", Long.class, orgId, orgId);
        assertThat(events).as("bulk, single, revoke and resize events").isGreaterThan(2L * BULK + 100 + 20 + 10);
        long interleaved = jdbc.queryForObject("""
                select count(*) from audit.entries single where single.org_id = ? and single.aggregate_id = ?
                    and single.position between (select min(position) from audit.entries where aggregate_id = ? and action = 'SeatAssigned')
                                            and (select max(position) from audit.entries where aggregate_id = ? and action = 'SeatAssigned')""",
                Long.class, orgId, singlesPool, bulkPool, bulkPool);
        // how many single commands landed between the bulks' events varies from run to run (none when the bulks commit
        // back to back); the verdict below must hold whatever the interleaving
        System.out.println("AUDIT-CHAIN-CONCURRENCY | single entries between the bulks' positions: " + interleaved);

        AuditVerifier.Verification verification = verifier.verify(orgId).block();
        assertThat(verification.valid()).as("verdict %s", verification).isTrue();
        assertThat(verification.entries()).isEqualTo(events);
        assertThat(verification.fault()).isNull();
        String trail = trail();

        assertThat(rebuild.start(AuditTrailProjection.PROCESSOR)).isTrue();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> !rebuild.progress(AuditTrailProjection.PROCESSOR).orElseThrow().running());
        assertThat(rebuild.progress(AuditTrailProjection.PROCESSOR).orElseThrow().phase())
                .as("the swap accepts a rebuilt trail only when every live entry and hash is reproduced").isEqualTo(RebuildProgress.Phase.DONE);
        assertThat(trail()).as("the rebuilt trail, byte for byte").isEqualTo(trail);
        assertThat(verifier.verify(orgId).block()).isEqualTo(verification);
    }

    private String trail() {
        return String.join("\n", jdbc.queryForList("select e::text from audit.entries e where org_id = ? order by position", String.class, orgId));
    }
}
