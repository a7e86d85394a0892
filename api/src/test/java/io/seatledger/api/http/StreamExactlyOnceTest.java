package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.AssignSeats;
import io.seatledger.messages.seatpool.BulkAssignment;
import io.seatledger.messages.seatpool.ClaimSeat;
import io.seatledger.messages.seatpool.ProrationBehavior;
import io.seatledger.messages.seatpool.ResizeSeatPool;
import io.seatledger.messages.seatpool.ResizeTiming;
import io.seatledger.messages.seatpool.RevokeSeat;
import io.seatledger.messages.seatpool.SeatAssignment;
import io.seatledger.messages.seatpool.SeatRequest;
import io.seatledger.messages.seatpool.TransferSeat;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.rebuild.RebuildProgress;
import io.seatledger.projections.rebuild.ShadowRebuild;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.audit.AuditVerifier;
import io.seatledger.query.feed.ChangeFeed;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.web.reactive.server.FluxExchangeResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A property, checked by jqwik: while several clients send random commands concurrently into several pools of one
 * organization (bulk assignments beside single ones, claims, revocations, transfers, resizes), a reader follows the
 * live stream, hanging up after a random number of messages and resuming with Last-Event-ID each time. In the end it
 * has received every feed event of the audit trail exactly once, in strictly increasing ids, events committed late
 * with a lower global position included. The organization's audit trail verifies, one entry per stored event; after the
 * last try, a rebuild of the trail from the event store reproduces every try's organization byte for byte.
 */
class StreamExactlyOnceTest extends IntegrationTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENTS = new ParameterizedTypeReference<>() {
    };
    private static final int POOLS = 3;

    /** Each try's organization and its trail as the live projection wrote it, for the rebuild after the last try. */
    private static final Map<String, String> TRAILS = new java.util.concurrent.ConcurrentHashMap<>();

    @Value("${local.server.port}") int port;
    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired EventProcessingConfiguration processing;
    @Autowired AuditVerifier verifier;
    @Autowired ShadowRebuild rebuild;

    /** One generated command of one client: which command, which of its seats, a size. */
    record Step(int command, int pick, int size) {
    }

    @BeforeProperty
    void injectTheSharedSpringContext() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
    }

    @Provide
    Arbitrary<List<List<Step>>> clients() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(1, 40)).as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(25).list().ofMinSize(2).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Integer>> hangUps() {
        return Arbitraries.integers().between(1, 25).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 5, edgeCases = EdgeCasesMode.NONE, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void aReaderThatKeepsHangingUpReceivesEveryEventOnce(@ForAll("clients") List<List<Step>> clients, @ForAll("hangUps") List<Integer> hangUps)
            throws Exception {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String orgId = tenant.orgId();
        List<String> pools = IntStream.range(0, POOLS).mapToObj(i -> SeatScenarios.pool(commands, orgId, tenant.manager(), 150)).toList();
        Api api = new Api(port);
        Reader reader = new Reader(api, orgId, hangUps);

        ExecutorService threads = Executors.newFixedThreadPool(clients.size() + 1);
        try {
            Future<?> reading = threads.submit(reader);
            List<Future<?>> writing = IntStream.range(0, clients.size())
                    .mapToObj(i -> threads.submit(() -> run(commands, orgId, tenant.manager(), pools.get(i % POOLS), clients.get(i)))).collect(Collectors.toList());
            for (Future<?> client : writing) {
                client.get(120, TimeUnit.SECONDS);
            }
            new Processors(processing, jdbc).awaitCaughtUp(AuditTrailProjection.PROCESSOR, SeatPoolProjection.PROCESSOR);
            List<String> expected = jdbc.query("select position, action from audit.entries where org_id = ?",
                            (row, i) -> row.getLong("position") + " " + row.getString("action"), orgId).stream()
                    .map(entry -> entry.split(" "))
                    .filter(entry -> ChangeFeed.EVENTS.containsKey(entry[1]))
                    .map(entry -> entry[0] + " " + ChangeFeed.EVENTS.get(entry[1])).toList();
            reader.expect(expected.size());
            reading.get(60, TimeUnit.SECONDS);

            List<ServerSentEvent<Map<String, Object>>> events = reader.received().stream()
                    .filter(event -> !ChangeFeed.THRESHOLD_EVENT.equals(event.event())).toList();
            long late = lateEvents(events);
            assertThat(events.stream().map(event -> event.data().get("position") + " " + event.event()).toList())
                    .as("every feed event of the audit trail, once (%d reconnections, %d events after one with a higher position)",
                            reader.connections(), late)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(events.stream().map(event -> Long.parseLong(event.id().substring(1))).toList()).as("ids strictly increasing")
                    .isSorted().doesNotHaveDuplicates();

            AuditVerifier.Verification verdict = verifier.verify(orgId).block();
            long stored = jdbc.queryForObject("""
                    select count(*) from events.domain_event_entry where aggregate_identifier = ?
                        or aggregate_identifier in (select pool_id from read_model.seat_pools where org_id = ?)""", Long.class, orgId, orgId);
            assertThat(verdict.valid()).as("verdict %s", verdict).isTrue();
            assertThat(verdict.entries()).as("one entry per stored event").isEqualTo(stored);
            TRAILS.put(orgId, trail(orgId));
        } finally {
            threads.shutdownNow();
        }
    }

    /** Once after the last try: the audit trail rebuilt from the event store equals what the live projection wrote for every try. */
    @AfterProperty
    void theRebuiltTrailIsTheLiveOne() {
        if (TRAILS.isEmpty()) {
            return;
        }
        assertThat(rebuild.start(AuditTrailProjection.PROCESSOR)).isTrue();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> !rebuild.progress(AuditTrailProjection.PROCESSOR).orElseThrow().running());
        assertThat(rebuild.progress(AuditTrailProjection.PROCESSOR).orElseThrow().phase())
                .as("the swap accepts a rebuilt trail only when every live entry and hash is reproduced").isEqualTo(RebuildProgress.Phase.DONE);
        TRAILS.forEach((orgId, trail) -> assertThat(trail(orgId)).as("the rebuilt trail of %s", orgId).isEqualTo(trail));
        TRAILS.clear();
    }

    private String trail(String orgId) {
        return String.join("\n", jdbc.queryForList("select e::text from audit.entries e where org_id = ? order by position", String.class, orgId));
    }

    /** How many events came after an event with a higher global position: committed late. */
    private static long lateEvents(List<ServerSentEvent<Map<String, Object>>> events) {
        long highest = 0;
        long late = 0;
        for (ServerSentEvent<Map<String, Object>> event : events) {
            long position = ((Number) event.data().get("position")).longValue();
            if (position < highest) {
                late++;
            }
            highest = Math.max(highest, position);
        }
        return late;
    }

    private static void run(Commands commands, String orgId, AuditMetadata manager, String poolId, List<Step> steps) {
        List<SeatAssignment> seats = new ArrayList<>();
        for (Step step : steps) {
            SeatAssignment some = seats.isEmpty() ? null : seats.get(step.pick() % seats.size());
            Object command = switch (step.command()) {
                case 0, 1, 2 -> new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), address(), false, null, Map.of());
                case 3 -> new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), address(), true, "user-" + UUID.randomUUID(), Map.of());
                case 4, 5 -> some == null || some.invitation() == null ? null : new ClaimSeat(poolId, some.seatId(),
                        InvitationToken.parse(some.invitation().token()).orElseThrow().sha256(), "user-" + UUID.randomUUID(), some.email(), false);
                case 6 -> some == null ? null : new RevokeSeat(poolId, orgId, some.seatId());
                case 7 -> some == null ? null : new TransferSeat(poolId, orgId, some.seatId(), UUID.randomUUID().toString(), address());
                case 8 -> new ResizeSeatPool(poolId, orgId, 150 + step.size(), ResizeTiming.NOW, ProrationBehavior.NONE);
                default -> new AssignSeats(poolId, orgId, IntStream.range(0, step.size()).mapToObj(i -> i % 7 == 3
                        ? new SeatRequest(UUID.randomUUID().toString(), address(), true, "user-" + UUID.randomUUID(), Map.of())
                        : new SeatRequest(UUID.randomUUID().toString(), address(), false, null, Map.of())).toList(), false);
            };
            if (command == null) {
                continue;
            }
            try {
                Object result = commands.send(command, manager);
                if (result instanceof SeatAssignment assignment) {
                    seats.add(assignment);
                } else if (result instanceof BulkAssignment bulk) {
                    seats.addAll(bulk.assigned());
                }
            } catch (RuntimeException refused) {
                // a refused command (a seat already revoked, a full pool) records nothing: no feed event either
            }
        }
    }

    private static String address() {
        return UUID.randomUUID() + "@acme.example";
    }

    /** Follows the stream, hanging up after each planned number of messages (or a quiet second) and resuming. */
    private static final class Reader implements Runnable {

        private final Api api;
        private final String orgId;
        private final List<Integer> hangUps;
        private final List<ServerSentEvent<Map<String, Object>>> received = new ArrayList<>();
        private volatile int expected = -1;
        private int connections;

        Reader(Api api, String orgId, List<Integer> hangUps) {
            this.api = api;
            this.orgId = orgId;
            this.hangUps = hangUps;
        }

        void expect(int events) {
            expected = events;
        }

        synchronized List<ServerSentEvent<Map<String, Object>>> received() {
            return List.copyOf(received);
        }

        synchronized int connections() {
            return connections;
        }

        @Override
        public void run() {
            String lastEventId = "s0";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(170);
            while (expected < 0 || events() < expected) {
                assertThat(System.nanoTime()).as("the reader got %d of %d events", events(), expected).isLessThan(deadline);
                String user = "reader-" + UUID.randomUUID();
                FluxExchangeResult<ServerSentEvent<Map<String, Object>>> stream = api.as(user, orgId, user + "@acme.example").get()
                        .uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", lastEventId)
                        .exchange().returnResult(EVENTS);
                if (stream.getStatus().value() == 429) {
                    stream.getResponseBody().subscribe().dispose();
                    pause();
                    continue;
                }
                assertThat(stream.getStatus().value()).isEqualTo(200);
                int hangUpAfter;
                synchronized (this) {
                    hangUpAfter = hangUps.get(connections++ % hangUps.size());
                }
                List<ServerSentEvent<Map<String, Object>>> batch = stream.getResponseBody().filter(event -> event.event() != null)
                        .take(hangUpAfter).take(Duration.ofSeconds(1)).collectList().block(Duration.ofSeconds(10));
                synchronized (this) {
                    received.addAll(batch);
                }
                if (!batch.isEmpty()) {
                    lastEventId = batch.get(batch.size() - 1).id();
                }
            }
            // one more resume: nothing may follow what was expected (a repeated event would show here)
            List<ServerSentEvent<Map<String, Object>>> after = api.as("reader-last", orgId, "reader-last@acme.example").get()
                    .uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", lastEventId)
                    .exchange().expectStatus().isOk().returnResult(EVENTS).getResponseBody()
                    .filter(event -> event.event() != null && !ChangeFeed.THRESHOLD_EVENT.equals(event.event()))
                    .take(Duration.ofSeconds(2)).collectList().block(Duration.ofSeconds(10));
            synchronized (this) {
                received.addAll(after);
            }
        }

        private synchronized int events() {
            return (int) received.stream().filter(event -> !ChangeFeed.THRESHOLD_EVENT.equals(event.event())).count();
        }

        private static void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
