package io.seatledger.api.consistency;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.Processors;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads naming a position ({@code ?minPosition=} or {@code Seat-Ledger-Position}) show every change up to it, wait at
 * most {@code seatledger.consistency.max-wait} (then 503 with Retry-After), refuse positions that are not ones the
 * service handed out, never wait on another tenant's behalf, and are not held up by a gap no event will fill.
 */
class ReadYourWritesHttpTest extends ApiTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    @Autowired
    private EventProcessingConfiguration processing;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private DatabaseOwner owner;

    @Test
    void everyAssignmentIsReadAtItsPositionByConcurrentClients() throws Exception {
        String poolId = buyPool(100);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int client = 0; client < 4; client++) {
                int number = client;
                done.add(clients.submit(() -> {
                    // each client on its own: it carries its positions by hand, not through the shared session
                    WebTestClient own = api.as(managerId, orgId, managerEmail);
                    for (int i = 0; i < 10; i++) {
                        EntityExchangeResult<Map> assigned = own.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "c" + number + "-" + i + "@example.com"))
                                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult();
                        String position = assigned.getResponseHeaders().getFirst(Api.POSITION);
                        own.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, assigned.getResponseBody().get("seatId"))
                                .header(Api.POSITION, position).exchange().expectStatus().isOk()
                                .expectBody().jsonPath("$.status").isEqualTo("pending");
                    }
                    return 10;
                }));
            }
            int reads = 0;
            for (Future<Integer> client : done) {
                reads += client.get();
            }
            assertThat(reads).isEqualTo(40);
        } finally {
            clients.shutdownNow();
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}?minPosition={p}", orgId, poolId, api.lastPosition()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.pending").isEqualTo(40);
    }

    @Test
    void aReadWaitsAtMostMaxWaitForAStoppedProjectionAndAnotherTenantDoesNotWaitAtAll() {
        String poolId = buyPool(3);
        Processors processors = new Processors(processing, jdbc);
        processors.named(SeatPoolProjection.PROCESSOR).shutDown();
        try {
            Map<String, Object> seat = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "waits@example.com"))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            long position = api.lastPosition();

            long started = System.nanoTime();
            EntityExchangeResult<byte[]> unavailable = manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}?minPosition={p}",
                    orgId, poolId, seat.get("seatId"), position).exchange().expectStatus().isEqualTo(503).expectBody().returnResult();
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            assertThat(unavailable.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
            assertThat(new String(unavailable.getResponseBody())).contains("\"code\":\"UNAVAILABLE\"");
            assertThat(waited).isGreaterThanOrEqualTo(MAX_WAIT.minusMillis(100)).isLessThan(MAX_WAIT.plusSeconds(2));
            System.out.printf("read-your-writes: a read of a stopped projection answered 503 after %d ms%n", waited.toMillis());

            // another tenant naming this position: its own data at once, this tenant's pool not at all (404, no wait)
            String otherOrg = Api.newOrgId();
            WebTestClient other = api.as("other-" + UUID.randomUUID(), otherOrg, "other@example.com");
            other.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other")).exchange()
                    .expectStatus().isCreated();
            started = System.nanoTime();
            Api.problem(other.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}?minPosition={p}", orgId, poolId, seat.get("seatId"),
                    position).exchange(), 404, "NOT_FOUND");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        } finally {
            processors.named(SeatPoolProjection.PROCESSOR).start();
            processors.awaitCaughtUp(SeatPoolProjection.PROCESSOR);
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(1);
    }

    @Test
    void anotherTenantsPositionShowsOnlyTheReadersOwnData() {
        String poolId = buyPool(3);
        assign(poolId, "mine@example.com");
        long position = api.lastPosition();
        String otherOrg = Api.newOrgId();
        WebTestClient other = api.as("other-" + UUID.randomUUID(), otherOrg, "other@example.com");
        other.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other")).exchange()
                .expectStatus().isCreated();
        other.get().uri("/api/v1/orgs/{org}/seat-pools?minPosition={p}", otherOrg, position).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
        other.get().uri("/api/v1/orgs/{org}/usage?minPosition={p}", otherOrg, position).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(0);
    }

    @Test
    void positionsThatAreNoPositionsAreRefused() {
        String poolId = buyPool(1);
        String pool = "/api/v1/orgs/{org}/seat-pools/{pool}";
        for (String hostile : List.of("-1", "abc", "1e3", "5.0", " 5", "", "+5", "0x10", "99999999999999999999", "9223372036854775808",
                "1%00")) {
            Api.problem(manager.get().uri(pool + "?minPosition=" + hostile, orgId, poolId).exchange(), 400, "VALIDATION_FAILED");
            if (!hostile.isBlank() && hostile.equals(hostile.strip())) {
                Api.problem(manager.get().uri(pool, orgId, poolId).header(Api.POSITION, hostile).exchange(), 400, "VALIDATION_FAILED");
            }
        }
        // never handed out: beyond the newest stored event, refused at once instead of waiting in vain
        long started = System.nanoTime();
        Api.problem(manager.get().uri(pool + "?minPosition=999999999999999999", orgId, poolId).exchange(), 400, "VALIDATION_FAILED");
        Api.problem(manager.get().uri("/api/v1/orgs/{org}/audit?minPosition={p}", orgId, api.lastPosition() + 1_000_000).exchange(), 400,
                "VALIDATION_FAILED");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        manager.get().uri(pool + "?minPosition=0", orgId, poolId).exchange().expectStatus().isOk();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInvitationIsClaimableTheMomentItIsAssigned() {
        String poolId = buyPool(10);
        for (int i = 0; i < 10; i++) {
            // no read in between: the invitee has no position to wait for
            Map<String, Object> seat = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "quick" + i + "@example.com"))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            String token = (String) ((Map<String, Object>) seat.get("invitation")).get("token");
            api.as("quick-" + i, "holders-org", "quick" + i + "@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange()
                    .expectStatus().isOk().expectHeader().exists(Api.POSITION).expectBody().jsonPath("$.status").isEqualTo("claimed");
        }
    }

    /**
     * A global index taken by a transaction that rolled back is a gap in every token for as long as Axon keeps it
     * (complete_to stays below it); a read waiting for a later position must not wait for it.
     */
    @Test
    void aGapNoEventWillFillHoldsNoReadBack() {
        String poolId = buyPool(3);
        Long gap = new TransactionTemplate(new DataSourceTransactionManager(owner.jdbc().getDataSource())).execute(status -> {
            Long taken = owner.jdbc().queryForObject("select nextval('events.domain_event_entry_global_index_seq')", Long.class);
            status.setRollbackOnly();
            return taken;
        });
        Map<String, Object> seat = assign(poolId, "after-the-gap@example.com");
        long position = api.lastPosition();
        assertThat(position).isGreaterThan(gap);

        long started = System.nanoTime();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}?minPosition={p}", orgId, poolId, seat.get("seatId"), position)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.email").isEqualTo("after-the-gap@example.com");
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertThat(waited).isLessThan(Duration.ofSeconds(2));
        new Processors(processing, jdbc).awaitCaughtUp(SeatPoolProjection.PROCESSOR);
        Long completeTo = jdbc.queryForObject("select min(complete_to) from read_model.processed_positions where processor = ?", Long.class,
                SeatPoolProjection.PROCESSOR);
        System.out.printf("read-your-writes: gap at %d, read at %d answered in %d ms; the processor's recorded complete_to is %d%n",
                gap, position, waited.toMillis(), completeTo);
    }
}
