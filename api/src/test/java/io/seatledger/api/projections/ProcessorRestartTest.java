package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.billing.reconciliation.PoolRecount;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.api.support.Processors;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.AssignSeats;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.messages.seatpool.SeatRequest;
import io.seatledger.readmodel.CounterKeys;
import io.seatledger.projections.counters.RedisCounterProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping the processors in the middle of a large backlog and starting them again converges to the same counts. */
class ProcessorRestartTest extends IntegrationTest {

    static final int SEATS = 6_000;

    @Autowired CommandGateway gateway;
    @Autowired EventStore eventStore;
    @Autowired JdbcTemplate jdbc;
    @Autowired StringRedisTemplate redis;
    @Autowired EventProcessingConfiguration processing;

    @Test
    void processorsStoppedMidBacklogConvergeAfterRestart() {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String orgId = tenant.orgId();
        AuditMetadata manager = tenant.manager();
        Processors processors = new Processors(processing, jdbc);
        stop(processors);
        // The whole backlog is stored before the processors see any of it.
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, SEATS, Pricing.perSeat("eur", 100), BillingInterval.MONTH, null), manager);
        for (int bulk = 0; bulk < 3; bulk++) {
            int offset = bulk * SEATS / 3;
            List<SeatRequest> rows = IntStream.range(offset, offset + SEATS / 3)
                    .mapToObj(i -> new SeatRequest(UUID.randomUUID().toString(), "seat" + i + "@acme.example", i % 3 == 0,
                            i % 3 == 0 ? "user-" + i : null, Map.of())).toList();
            commands.send(new AssignSeats(poolId, orgId, rows, true), manager);
        }

        start(processors);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> pendingIn(poolId) > 0);
        stop(processors);
        int pendingWhenStopped = pendingIn(poolId);

        start(processors);
        processors.awaitCaughtUp(SeatPoolProjection.PROCESSOR, RedisCounterProjection.PROCESSOR);

        Map<String, Object> recount = PoolRecount.of(eventStore, poolId).asRow();
        assertThat(recount).containsEntry("pending", SEATS - SEATS / 3).containsEntry("claimed", SEATS / 3);
        assertThat(pendingWhenStopped).as("stopped in the middle of the backlog").isPositive().isLessThan((Integer) recount.get("pending"));
        assertThat(jdbc.queryForMap("select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?", poolId)).isEqualTo(recount);
        assertThat(redis.<String, String>opsForHash().entries(CounterKeys.pool(orgId, poolId)))
                .containsEntry("pending", recount.get("pending").toString()).containsEntry("claimed", recount.get("claimed").toString());
    }

    private static void stop(Processors processors) {
        processors.named(SeatPoolProjection.PROCESSOR).shutDown();
        processors.named(RedisCounterProjection.PROCESSOR).shutDown();
    }

    private static void start(Processors processors) {
        processors.named(SeatPoolProjection.PROCESSOR).start();
        processors.named(RedisCounterProjection.PROCESSOR).start();
    }

    private int pendingIn(String poolId) {
        List<Integer> pending = jdbc.queryForList("select pending from read_model.seat_pools where pool_id = ?", Integer.class, poolId);
        return pending.isEmpty() ? 0 : pending.get(0);
    }
}
