package io.seatledger.api.scaleout;

import io.seatledger.api.SeatLedgerApplication;
import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.billing.reconciliation.PoolRecount;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.projections.rebuild.ShadowRebuild;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.counters.RedisCounterProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.audit.AuditVerifier;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one PostgreSQL (the JDBC event store) and one Redis: they share the processors' segments,
 * and when one is stopped in the middle of the load the other takes its segments over and its callers retry
 * there with the same request ids. Nothing is counted twice or lost: every pool's read model, Redis counters
 * and audit trail equal a recount from its events, and equal what the callers were told was assigned. Either
 * instance can rebuild the Redis counters while both keep working.
 */
class ScaleOutTest extends IntegrationTest {

    private static final List<String> SHARED = List.of(SeatPoolProjection.PROCESSOR, RedisCounterProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);
    private static final int ORGANIZATIONS = 4;
    private static final int ASSIGNMENTS = 240;

    @Autowired
    CommandGateway gateway;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore eventStore;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    AuditVerifier audit;
    @Autowired
    io.seatledger.projections.counters.RedisCounterRebuild redisRebuild;
    @Autowired
    ShadowRebuild shadowRebuild;

    @Test
    void twoInstancesShareTheWorkAndOneStoppingMidLoadLosesAndDoublesNothing() throws Exception {
        List<TenantPool> pools = newPools();
        ConfigurableApplicationContext second = secondInstance();
        try {
            Processors here = shareSegmentsWith(second);
            CommandGateway thereGateway = second.getBean(CommandGateway.class);
            Map<String, Set<String>> assigned = new ConcurrentHashMap<>();
            pools.forEach(pool -> assigned.put(pool.poolId(), ConcurrentHashMap.newKeySet()));
            AtomicInteger retriedHere = new AtomicInteger();
            assignFromEightClients(pools, (n, assignment) -> {
                boolean viaSecond = n % 2 == 1 && second.isActive();
                try {
                    send(viaSecond ? thereGateway : gateway, assignment.command(), assignment.request());
                } catch (RuntimeException lost) {
                    // The instance went away under the request: the caller retries on the other one, same request id.
                    retriedHere.incrementAndGet();
                    send(gateway, assignment.command(), assignment.request());
                }
                assigned.get(assignment.command().poolId()).add(assignment.command().email());
                if (n == ASSIGNMENTS / 2) {
                    second.close();
                }
            });
            assertThat(second.isActive()).as("the second instance was stopped in the middle of the load").isFalse();

            here.awaitCaughtUp(SHARED.toArray(String[]::new));
            for (int i = 0; i < ORGANIZATIONS; i++) {
                String orgId = pools.get(i).tenant().orgId();
                String poolId = pools.get(i).poolId();
                PoolRecount recount = PoolRecount.of(eventStore, poolId);
                assertThat(recount.pending()).as("assigned in pool " + i + " (retries here: " + retriedHere + ")").isEqualTo(assigned.get(poolId).size());
                assertThat(jdbc.queryForMap("select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?", poolId))
                        .as("read model of pool " + i).isEqualTo(recount.asRow());
                assertThat(redis.<String, String>opsForHash().entries(CounterKeys.pool(orgId, poolId)))
                        .as("Redis counters of pool " + i).containsEntry("pending", String.valueOf(recount.pending()))
                        .containsEntry("capacity", String.valueOf(recount.capacity()));
                List<String> eventIds = java.util.stream.Stream.concat(eventStore.readEvents(orgId).asStream(), eventStore.readEvents(poolId).asStream())
                        .map(event -> event.getIdentifier()).toList();
                assertThat(jdbc.queryForList("select event_id from audit.entries where org_id = ?", String.class, orgId))
                        .as("audit entries of organization " + i).containsExactlyInAnyOrderElementsOf(eventIds);
                assertThat(jdbc.queryForObject("""
                        select count(*) from audit.entries a join events.domain_event_entry e on e.event_identifier = a.event_id
                        where a.org_id = ? and a.position <> e.global_index""", Long.class, orgId))
                        .as("audit positions of organization " + i + " are the events' own global indexes").isZero();
                assertThat(jdbc.queryForMap("""
                        select count(*) as numbered, count(distinct f.seq) as numbers, min(f.seq) as first, max(f.seq) as last,
                            (select count(*) from audit.entries where org_id = ?) as entries
                        from audit.feed f join audit.entries a on a.position = f.position and a.org_id = f.org_id where f.org_id = ?""", orgId, orgId))
                        .as("the live feed of organization " + i + " numbers every entry once, 1 to n, across the segment handover")
                        .satisfies(feed -> assertThat(List.of(feed.get("numbered"), feed.get("numbers"), feed.get("last")))
                                .containsOnly(feed.get("entries")))
                        .containsEntry("first", 1L);
                assertThat(audit.verify(orgId).block().valid()).as("audit chain of organization " + i).isTrue();
            }
        } finally {
            second.close();
        }
    }

    @Test
    void segmentsHeldByACrashedInstanceAreTakenOverOnceItsClaimsTimeOut() {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String poolId = SeatScenarios.pool(commands, tenant.orgId(), tenant.manager(), 100);
        Processors here = new Processors(processing, jdbc);
        StreamingEventProcessor seatPools = here.named(SeatPoolProjection.PROCESSOR);
        here.awaitCaughtUp(SeatPoolProjection.PROCESSOR);

        // An instance that claimed every segment and died (kill -9): its claims stay, fresh, under its name.
        List<Integer> segments = List.copyOf(seatPools.processingStatus().keySet());
        segments.forEach(segment -> seatPools.releaseSegment(segment, 2, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> seatPools.processingStatus().isEmpty());
        int crashed = jdbc.update("update axon.token_entry set owner = 'crashed-instance', timestamp = ? where processor_name = ?",
                java.time.Instant.now().toString(), SeatPoolProjection.PROCESSOR);
        assertThat(crashed).isEqualTo(segments.size());
        for (int i = 0; i < 20; i++) {
            commands.send(new AssignSeat(poolId, tenant.orgId(), UUID.randomUUID().toString(), "crash-" + i + "@scale.example", false, null, Map.of()),
                    tenant.manager());
        }

        // The claim timeout (10 s) passes; the live instance takes the segments over and catches up.
        await().atMost(Duration.ofSeconds(40)).until(() -> seatPools.processingStatus().size() == segments.size());
        here.awaitCaughtUp(SeatPoolProjection.PROCESSOR);
        assertThat(jdbc.queryForList("select distinct owner from axon.token_entry where processor_name = ?", String.class, SeatPoolProjection.PROCESSOR))
                .doesNotContain("crashed-instance");
        assertThat(jdbc.queryForMap("select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?", poolId))
                .isEqualTo(PoolRecount.of(eventStore, poolId).asRow())
                .containsEntry("pending", 20);
    }

    @Test
    void theRedisCountersAreRebuiltByOneInstanceWhileBothKeepWorking() throws Exception {
        List<TenantPool> pools = newPools();
        ConfigurableApplicationContext second = secondInstance();
        try {
            Processors here = shareSegmentsWith(second);
            CommandGateway thereGateway = second.getBean(CommandGateway.class);
            io.seatledger.projections.counters.RedisCounterRebuild thereRebuild = second.getBean(io.seatledger.projections.counters.RedisCounterRebuild.class);
            assignFromEightClients(pools, (n, assignment) -> {
                send(n % 2 == 1 ? thereGateway : gateway, assignment.command(), assignment.request());
                if (n == ASSIGNMENTS / 2) {
                    // Redis lost a count (as if restored from an old backup); the second instance rebuilds the
                    // counters while both instances' counter processors hold segments and commands keep coming.
                    redis.opsForHash().put(CounterKeys.pool(pools.get(0).tenant().orgId(), pools.get(0).poolId()), "pending", "999");
                    thereRebuild.rebuild();
                }
            });
            assertThat(redis.hasKey(CounterKeys.REBUILDING)).as("the rebuild's mark is gone").isFalse();
            assertThat(redisRebuild.complete()).isTrue();
            second.close();

            here.awaitCaughtUp(SHARED.toArray(String[]::new));
            for (int i = 0; i < ORGANIZATIONS; i++) {
                String orgId = pools.get(i).tenant().orgId();
                String poolId = pools.get(i).poolId();
                PoolRecount recount = PoolRecount.of(eventStore, poolId);
                assertThat(recount.pending()).isEqualTo(ASSIGNMENTS / ORGANIZATIONS);
                assertThat(redis.<String, String>opsForHash().entries(CounterKeys.pool(orgId, poolId)))
                        .as("Redis counters of pool " + i).containsEntry("pending", String.valueOf(recount.pending()))
                        .containsEntry("claimed", String.valueOf(recount.claimed())).containsEntry("capacity", String.valueOf(recount.capacity()));
                assertThat(redis.<String, String>opsForHash().entries(CounterKeys.usage(orgId)))
                        .as("usage of organization " + i).containsEntry("pending", String.valueOf(recount.pending()))
                        .containsEntry("capacity", String.valueOf(recount.capacity())).containsEntry("pools", "1");
            }
        } finally {
            second.close();
        }
    }

    /** One assignment of the load: the command and its request (actor, request id). */
    private record Assignment(AssignSeat command, AuditMetadata request) {
    }

    /** What a client does with the {@code n}-th assignment. */
    @FunctionalInterface
    private interface Delivery {
        void deliver(int n, Assignment assignment) throws Exception;
    }

    /** {@link #ASSIGNMENTS} single-seat assignments spread over the pools, from eight concurrent clients. */
    private static void assignFromEightClients(List<TenantPool> pools, Delivery delivery) throws Exception {
        AtomicInteger sent = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            work.add(clients.submit(() -> {
                for (int n = sent.getAndIncrement(); n < ASSIGNMENTS; n = sent.getAndIncrement()) {
                    int which = n % ORGANIZATIONS;
                    SeatScenarios.Tenant tenant = pools.get(which).tenant();
                    AuditMetadata request = new AuditMetadata(tenant.manager().actorId(), Set.of(), "scale-" + UUID.randomUUID(), "", tenant.orgId());
                    delivery.deliver(n, new Assignment(new AssignSeat(pools.get(which).poolId(), tenant.orgId(), UUID.randomUUID().toString(),
                            "user-" + n + "@scale.example", false, null, Map.of()), request));
                }
                return null;
            }));
        }
        for (Future<?> client : work) {
            client.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
    }

    private static void send(CommandGateway gateway, Object command, AuditMetadata request) {
        gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).withMetaData(request.asMap()));
    }

    /** An organization of the load and its one pool. */
    private record TenantPool(SeatScenarios.Tenant tenant, String poolId) {
    }

    /**
     * {@link #ORGANIZATIONS} new organizations with a pool of 1,000 seats each, and no rebuild under way: a read-model
     * rebuild that an earlier test's repair started restarts the live processor when it swaps, taking back the
     * segments this test hands to the second instance.
     */
    private List<TenantPool> newPools() {
        Commands commands = new Commands(gateway);
        List<TenantPool> pools = new ArrayList<>();
        for (int i = 0; i < ORGANIZATIONS; i++) {
            SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
            String poolId = SeatScenarios.pool(commands, tenant.orgId(), tenant.manager(), 1_000);
            pools.add(new TenantPool(tenant, poolId));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> redisRebuild.complete() && !Boolean.TRUE.equals(redis.hasKey(CounterKeys.REBUILDING)));
        await().atMost(Duration.ofSeconds(60)).until(() -> shadowRebuild.rebuildable().stream().noneMatch(shadowRebuild::running));
        return pools;
    }

    /** Hands half of this instance's segments of every shared processor to {@code second}; pooled processors keep what they claimed. */
    private Processors shareSegmentsWith(ConfigurableApplicationContext second) {
        Processors here = new Processors(processing, jdbc);
        EventProcessingConfiguration thereProcessing = second.getBean(EventProcessingConfiguration.class);
        for (String name : SHARED) {
            StreamingEventProcessor processor = here.named(name);
            processor.processingStatus().keySet().stream().sorted().skip(processor.processingStatus().size() / 2)
                    .forEach(segment -> processor.releaseSegment(segment, 20, TimeUnit.SECONDS));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : SHARED) {
                StreamingEventProcessor there = thereProcessing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
                assertThat(there.processingStatus()).as(name + " segments on the second instance").isNotEmpty();
                assertThat(here.named(name).processingStatus()).as(name + " segments on the first instance").isNotEmpty();
            }
        });
        return here;
    }

    /**
     * The same service again, on the first one's PostgreSQL and Redis: the test profile's data directory, whose
     * embedded servers this JVM already runs (dev tokens need the embedded default).
     */
    private ConfigurableApplicationContext secondInstance() {
        return new SpringApplicationBuilder(SeatLedgerApplication.class).profiles("test").run("--server.port=0", "--seatledger.node-id=second-instance",
                "--spring.main.banner-mode=off", "--seatledger.billing.reconciliation.interval=0s");
    }
}
