package io.seatledger.api.query;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.seatledger.api.support.Api;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.ApiTest;
import io.seatledger.projections.MaintenanceTimeouts;
import io.seatledger.query.TenantScope;
import io.seatledger.query.audit.AuditEntry;
import io.seatledger.query.audit.AuditFilter;
import io.seatledger.query.audit.AuditReader;
import io.seatledger.query.seatpool.Replays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One tenant cannot stall the others through the database: exports read in short pages at the client's pace and
 * are capped per organization, time travel runs on its own bounded threads, every connection has statement and
 * idle-in-transaction timeouts, and a starved read pool answers 503 instead of hanging.
 */
class TenantLimitsTest extends ApiTest {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    /** Entries of a large export: with their padding about 4 MB of NDJSON, more than the socket buffers between server and client hold. */
    private static final int LARGE_EXPORT = 2000;
    private static final int PADDING = 2000;

    @Autowired DatabaseOwner owner;
    @Autowired JdbcTemplate jdbc;
    @Autowired DatabaseClient database;
    @Autowired ConnectionPool readPool;
    @Autowired AuditReader audit;
    @Autowired TenantScope tenantScope;
    @Autowired Replays replays;
    @Autowired MaintenanceTimeouts maintenance;
    @Autowired PlatformTransactionManager transactions;
    @Autowired @FlywayDataSource DataSource migrations;

    @Test
    void slowExportReadersOfManyTenantsHoldNoConnectionAndOtherTenantsStillReadQuickly() throws Exception {
        List<String> tenants = IntStream.range(0, 13).mapToObj(i -> Api.newOrgId()).toList();
        tenants.forEach(tenant -> synthesizeEntries(tenant, LARGE_EXPORT, PADDING));
        List<SlowReader> readers = new ArrayList<>();
        try {
            for (String tenant : tenants) {
                String token = auditorToken(tenant);
                for (int i = 0; i < 2; i++) {
                    SlowReader reader = new SlowReader(port, token, tenant, "application/x-ndjson");
                    readers.add(reader);
                    assertThat(reader.status).isEqualTo(200);
                }
            }
            assertThat(readers).hasSizeGreaterThan(20); // more than the read pool's connections

            Thread.sleep(500);
            assertThat(jdbc.queryForObject("""
                    select count(*) from pg_stat_activity where application_name = 'r2dbc-postgresql'
                        and xact_start < now() - interval '300 milliseconds'""", Long.class))
                    .as("read connections in a transaction while the readers pause").isZero();
            assertThat(tenants).allSatisfy(tenant -> assertThat(audit.exportsRunning(tenant)).isEqualTo(2));

            for (int i = 0; i < 5; i++) {
                assertAnswersWithin(Duration.ofSeconds(2), () -> manager.get().uri("/api/v1/orgs/{org}/audit?limit=5", orgId).exchange()
                        .expectStatus().isOk().expectBody().jsonPath("$.items[0].action").isEqualTo("OrganizationCreated"));
                assertAnswersWithin(Duration.ofSeconds(2), () -> manager.get().uri("/api/v1/orgs/{org}/seat-pools", orgId).exchange()
                        .expectStatus().isOk());
            }
        } finally {
            readers.forEach(SlowReader::close);
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tenants).allSatisfy(tenant -> assertThat(audit.exportsRunning(tenant)).isZero()));
    }

    @Test
    void aThirdConcurrentExportOfOneTenantIsRefusedAndEveryEntryComesOnceInOrderAfterwards() throws Exception {
        String tenant = Api.newOrgId();
        List<Long> positions = synthesizeEntries(tenant, LARGE_EXPORT, PADDING);
        String token = auditorToken(tenant);
        WebTestClient auditor = api.withToken(token);
        try (SlowReader first = new SlowReader(port, token, tenant, "application/x-ndjson");
             SlowReader second = new SlowReader(port, token, tenant, "text/csv")) {
            assertThat(first.status).isEqualTo(200);
            assertThat(second.status).isEqualTo(200);
            for (MediaType type : List.of(NDJSON, MediaType.parseMediaType("text/csv"))) {
                auditor.get().uri("/api/v1/orgs/{org}/audit", tenant).accept(type).exchange()
                        .expectStatus().isEqualTo(429).expectHeader().valueEquals("Retry-After", "5")
                        .expectHeader().contentTypeCompatibleWith(Api.PROBLEM_JSON)
                        .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED");
            }
            auditor.get().uri("/api/v1/orgs/{org}/audit?format=pgaudit", tenant).exchange().expectStatus().isEqualTo(429);
            // a verification reads the whole trail too: it counts with the exports
            auditor.get().uri("/api/v1/orgs/{org}/audit/verify", tenant).exchange().expectStatus().isEqualTo(429);
            // a page of JSON is no export, and another tenant's exports are its own
            auditor.get().uri("/api/v1/orgs/{org}/audit?limit=3", tenant).exchange().expectStatus().isOk();
            manager.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(NDJSON).exchange().expectStatus().isOk();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> audit.exportsRunning(tenant) == 0);

        String ndjson = auditor.get().uri("/api/v1/orgs/{org}/audit", tenant).accept(NDJSON).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        JsonMapper json = JsonMapper.builder().build();
        List<Long> exported = ndjson.lines().map(line -> json.readTree(line).get("position").asLong()).toList();
        assertThat(exported).as("more than one page (1,000), each entry once, in position order").containsExactlyElementsOf(positions);
        String csv = auditor.get().uri("/api/v1/orgs/{org}/audit", tenant).accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv.lines()).hasSize(LARGE_EXPORT + 1).first().asString().startsWith("position,occurredAt");
        assertThat(audit.exportsRunning(tenant)).isZero();
    }

    @Test
    void exportPagesMeetExactlyWithoutLosingOrRepeatingAnEntry() {
        AuditReader smallPages = new AuditReader(tenantScope, 10, 2);
        for (int entries : new int[]{30, 35, 9, 0}) {
            String tenant = Api.newOrgId();
            List<Long> positions = synthesizeEntries(tenant, entries, 10);
            assertThat(smallPages.stream(tenant, AuditFilter.ALL).map(AuditEntry::position).collectList().block())
                    .as("%d entries in pages of 10", entries).containsExactlyElementsOf(positions);
            if (entries > 12) {
                assertThat(smallPages.stream(tenant, AuditFilter.ALL.after(positions.get(11))).map(AuditEntry::position).collectList().block())
                        .containsExactlyElementsOf(positions.subList(12, positions.size()));
            }
        }
    }

    @Test
    void heavyTimeTravelOfOneTenantDoesNotDelayAnotherTenantsCommands() throws Exception {
        String heavyOrg = Api.newOrgId();
        String heavyManager = "manager-" + heavyOrg;
        WebTestClient heavy = api.as(heavyManager, heavyOrg, heavyManager + "@example.com");
        heavy.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Heavy " + heavyOrg))
                .exchange().expectStatus().isCreated();
        String bigPool = (String) heavy.post().uri("/api/v1/orgs/{org}/seat-pools", heavyOrg).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", 5000, "interval", "month", "pricing", perSeat(100)))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("poolId");
        for (int batch = 0; batch < 4; batch++) {
            int from = batch * 1000;
            List<Map<String, String>> seats = IntStream.range(from, from + 1000).mapToObj(i -> Map.of("email", "seat" + i + "@example.com")).toList();
            heavy.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", heavyOrg, bigPool).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("atomic", true, "seats", seats)).exchange().expectStatus().isOk();
        }
        String poolId = buyPool(50);
        assign(poolId, "warm-up@example.com");

        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(32);
        List<Future<?>> loops = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                loops.add(load.submit(() -> {
                    while (loading.get()) {
                        int status = heavy.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}?asOf={at}", heavyOrg, bigPool, Instant.now().toString())
                                .exchange().returnResult(String.class).getStatus().value();
                        mostAtOnce.accumulateAndGet(replays.inUse(heavyOrg), Math::max);
                        if (status == 200) {
                            replayed.incrementAndGet();
                        } else {
                            assertThat(status).isIn(429, 503);
                            refused.incrementAndGet();
                            Thread.sleep(20);
                        }
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> replayed.get() >= 1);
            long slowest = 0;
            for (int i = 0; i < 8; i++) {
                long started = System.nanoTime();
                assign(poolId, "member" + i + "@example.com");
                slowest = Math.max(slowest, System.nanoTime() - started);
            }
            assertThat(Duration.ofNanos(slowest)).as("the other tenant's slowest command under the load").isLessThan(Duration.ofMillis(1500));
        } finally {
            loading.set(false);
            load.shutdown();
        }
        for (Future<?> loop : loops) {
            loop.get();
        }
        assertThat(refused.get()).as("replays over the tenant's limit are refused, not queued").isPositive();
        assertThat(mostAtOnce.get()).isLessThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> replays.inUse(heavyOrg) == 0);
    }

    @Test
    void everyConnectionOfBothPoolsHasTheStatementAndIdleInTransactionTimeouts() {
        assertThat(jdbc.queryForObject("show statement_timeout", String.class)).isEqualTo("30s");
        assertThat(jdbc.queryForObject("show idle_in_transaction_session_timeout", String.class)).isEqualTo("1min");
        assertThat(show("statement_timeout")).isEqualTo("30s");
        assertThat(show("idle_in_transaction_session_timeout")).isEqualTo("1min");
        // a long maintenance transaction lifts both for itself only
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            maintenance.liftForThisTransaction();
            assertThat(jdbc.queryForObject("show statement_timeout", String.class)).isEqualTo("1h");
            assertThat(jdbc.queryForObject("show idle_in_transaction_session_timeout", String.class)).isEqualTo("1h");
        });
        List<String> afterwards = new ArrayList<>();
        // every pooled connection, the one the lift ran on among them, is back at the service's timeout
        for (int i = 0; i < 25; i++) {
            afterwards.add(transaction.execute(status -> jdbc.queryForObject("show statement_timeout", String.class)));
        }
        assertThat(afterwards).containsOnly("30s");
        assertThat(new JdbcTemplate(migrations).queryForObject("show statement_timeout", String.class)).isEqualTo("1h");
    }

    @Test
    void aStarvedReadPoolAnswers503WithRetryAfterInsteadOfHanging() {
        List<Connection> held = new ArrayList<>();
        try {
            while (readPool.getMetrics().orElseThrow().acquiredSize() < readPool.getMetrics().orElseThrow().getMaxAllocatedSize()) {
                held.add(Mono.from(readPool.create()).block(Duration.ofSeconds(10)));
            }
            long started = System.nanoTime();
            manager.get().uri("/api/v1/orgs/{org}/seat-pools?limit=1", orgId).exchange()
                    .expectStatus().isEqualTo(503).expectHeader().exists("Retry-After")
                    .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        } finally {
            Flux.fromIterable(held).concatMap(Connection::close).blockLast(Duration.ofSeconds(10));
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools?limit=1", orgId).exchange().expectStatus().isOk();
    }

    private String show(String setting) {
        return database.sql("show " + setting).map(row -> row.get(0, String.class)).one().block();
    }

    private String auditorToken(String tenant) {
        return api.token("auditor-" + tenant, tenant, "auditor@example.com", "auditor");
    }

    /**
     * The synthesized entries are no history of any event: the owner removes them again, since a rebuild of the trail
     * (another test) refuses to drop live entries.
     */
    @AfterEach
    void removeSynthesizedEntries() {
        owner.jdbc().update("delete from audit.entries where position > 1000000000000");
    }

    /**
     * Entries for an organization of the test's own, written straight into the trail (positions far above any
     * event's, so they never meet a real one); returns their positions in order.
     */
    private List<Long> synthesizeEntries(String tenant, int entries, int padding) {
        long first = jdbc.queryForObject("select greatest(coalesce(max(position), 0), 1000000000000) + 1 from audit.entries", Long.class);
        jdbc.update("""
                insert into audit.entries (position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason, action,
                    object_type, object_id, pool_id, seat_id, details, prev_hash, hash)
                select ? + n * 3, ?, 'pool-synthetic', n, now(), 'user-synthetic', 'billing-manager', 'request-' || n, null, 'SeatAssigned', 'seat',
                    'seat-' || n, 'pool-synthetic', 'seat-' || n, jsonb_build_object('padding', repeat('x', ?))::text, null, md5(n::text)
                from generate_series(0, ? - 1) n""", first, tenant, padding, entries);
        return IntStream.range(0, entries).mapToObj(n -> first + n * 3L).toList();
    }

    private static void assertAnswersWithin(Duration limit, Runnable request) {
        long started = System.nanoTime();
        request.run();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(limit);
    }

    /** A client that asks for an export, reads its status line and first bytes, then stops reading with its connection open. */
    private static final class SlowReader implements AutoCloseable {

        private final Socket socket = new Socket();
        private final int status;

        SlowReader(int port, String token, String orgId, String accept) throws IOException {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("localhost", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/orgs/" + orgId + "/audit HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nAccept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] start = in.readNBytes(64);
            String statusLine = new String(start, StandardCharsets.US_ASCII);
            status = Integer.parseInt(statusLine.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
