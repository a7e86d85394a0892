package io.seatledger.api.writemodel;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.api.support.Snapshots;
import io.seatledger.command.seatpool.SeatPool;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.AssignSeats;
import io.seatledger.messages.seatpool.BulkAssignment;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import io.seatledger.messages.seatpool.SeatRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import io.seatledger.api.axon.CachedAggregateSnapshotter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A large pool is loaded from its compressed snapshot and decides exactly as the pool that was snapshotted; a snapshot
 * in an earlier layout is ignored.
 */
class SnapshotTest extends IntegrationTest {

    static final int SEATS = 2_000;

    @Autowired CommandGateway gateway;
    @Autowired EventStore eventStore;
    @Autowired CachedAggregateSnapshotter snapshotter;
    @Autowired Cache seatPoolCache;
    @Autowired JdbcTemplate jdbc;
    @Autowired DatabaseOwner owner;

    @Test
    void aPoolLoadedFromItsCompressedSnapshotKeepsEverySeat() throws Exception {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String poolId = SeatScenarios.pool(commands, tenant.orgId(), tenant.manager(), SEATS + 1);
        List<SeatRequest> seats = IntStream.range(0, SEATS)
                .mapToObj(i -> new SeatRequest(UUID.randomUUID().toString(), "member" + i + "@snapshot.example", false, null, Map.of())).toList();
        BulkAssignment assigned = commands.send(new AssignSeats(poolId, tenant.orgId(), seats, true), tenant.manager());
        assertThat(assigned.assigned()).hasSize(SEATS);

        snapshotter.scheduleSnapshot(SeatPool.class, poolId);
        byte[] stored = Snapshots.awaitSnapshot(jdbc, poolId);
        // remembered just after the snapshot is stored: the next snapshot is spaced by the seats this one holds
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshotter.sizeAtLastSnapshot(poolId) == SEATS);
        assertThat(stored[0] & 0xff).as("gzip magic").isEqualTo(0x1f);
        assertThat(stored[1] & 0xff).isEqualTo(0x8b);
        byte[] json;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            json = in.readAllBytes();
        }
        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{").as("seats as a list, not keyed by id").contains("\"seats\":[{");
        assertThat(jdbc.queryForObject("select payload_revision from events.snapshot_event_entry where aggregate_identifier = ?",
                String.class, poolId)).isEqualTo("3");
        assertThat(json.length).as("the snapshot compresses").isGreaterThan(3 * stored.length);

        // Forget the pool in memory: the next commands load it from the snapshot alone (no event after it).
        seatPoolCache.removeAll();
        DomainEventMessage<?> first = eventStore.readEvents(poolId).next();
        assertThat(first.getPayload()).isInstanceOf(SeatPool.class);
        assertThat(first.getSequenceNumber()).isEqualTo(SEATS);

        assertThat(commands.refusal(new AssignSeat(poolId, tenant.orgId(), UUID.randomUUID().toString(), "member7@snapshot.example", false, null, Map.of()),
                tenant.manager())).as("a seat of the snapshot still holds its address").isEqualTo(ErrorCode.SEAT_ALREADY_ASSIGNED);
        commands.send(new AssignSeat(poolId, tenant.orgId(), UUID.randomUUID().toString(), "newcomer@snapshot.example", false, null, Map.of()), tenant.manager());
        assertThat(commands.refusal(new AssignSeat(poolId, tenant.orgId(), UUID.randomUUID().toString(), "one-too-many@snapshot.example", false, null, Map.of()),
                tenant.manager())).as("the snapshot's seats still count against capacity").isEqualTo(ErrorCode.SEAT_CAPACITY_EXCEEDED);
    }

    @Test
    void aSnapshotInAnEarlierLayoutIsIgnoredAndThePoolReplaysItsEvents() throws Exception {
        Commands commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        String poolId = SeatScenarios.pool(commands, tenant.orgId(), tenant.manager(), 3);
        commands.send(new AssignSeat(poolId, tenant.orgId(), UUID.randomUUID().toString(), "first@layout.example", false, null, Map.of()), tenant.manager());
        snapshotter.scheduleSnapshot(SeatPool.class, poolId);
        Snapshots.awaitSnapshot(jdbc, poolId);
        // as a snapshot written before the layout's revision would be stored (its seats keyed by id)
        owner.jdbc().update("update events.snapshot_event_entry set payload_revision = null where aggregate_identifier = ?", poolId);

        seatPoolCache.removeAll();
        DomainEventMessage<?> first = eventStore.readEvents(poolId).next();
        assertThat(first.getPayload()).as("loaded from its events").isInstanceOf(SeatPoolPurchased.class);
        assertThat(commands.refusal(new AssignSeat(poolId, tenant.orgId(), UUID.randomUUID().toString(), "first@layout.example", false, null, Map.of()),
                tenant.manager())).isEqualTo(ErrorCode.SEAT_ALREADY_ASSIGNED);
    }
}
