package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.AssignSeats;
import io.seatledger.messages.seatpool.SeatRequest;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.messages.seatpool.SeatAssignment;
import io.seatledger.messages.seatpool.TransferSeat;
import io.seatledger.projections.organization.OrganizationProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL read model follows the events, and replaying them changes nothing. */
class SeatPoolProjectionTest extends IntegrationTest {

    private static final String[] PROJECTIONS = {SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR};

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired DatabaseOwner owner;
    @Autowired EventProcessingConfiguration processing;

    private Commands commands;
    private String orgId;
    private AuditMetadata manager;

    @BeforeEach
    void anOrganization() {
        commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        orgId = tenant.orgId();
        manager = tenant.manager();
    }

    @Test
    void countsAndSeatsFollowASeatsLifecycle() {
        String poolId = SeatScenarios.poolThroughALifecycle(commands, orgId, manager);

        new Processors(processing, jdbc).awaitCaughtUp(PROJECTIONS);
        assertThat(jdbc.queryForMap("select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?", poolId))
                .containsEntry("capacity", 8).containsEntry("pending", 1).containsEntry("claimed", 1).containsEntry("status", "ACTIVE");
        assertThat(jdbc.queryForList("select email, status from read_model.seats where pool_id = ? order by email", poolId))
                .containsExactly(
                        Map.of("email", "ada@acme.example", "status", "CLAIMED"),
                        Map.of("email", "bob@acme.example", "status", "REVOKED"),
                        Map.of("email", "cy@acme.example", "status", "REVOKED"),
                        Map.of("email", "dee@acme.example", "status", "PENDING"));
        assertThat(jdbc.queryForObject("select holder_user_id from read_model.seats where pool_id = ? and status = 'CLAIMED'", String.class, poolId))
                .isEqualTo("user-ada");
        assertThat(jdbc.queryForMap("select name, billing_manager_user_id from read_model.organizations where org_id = ?", orgId))
                .containsEntry("name", "Acme").containsEntry("billing_manager_user_id", manager.actorId());
    }

    @Test
    void transferringAPendingSeatMovesNoCount() {
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, 2, Pricing.perSeat("eur", 1500), BillingInterval.MONTH, null), manager);
        SeatAssignment ada = commands.send(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "ada@acme.example", false, null, Map.of()), manager);
        commands.send(new TransferSeat(poolId, orgId, ada.seatId(), UUID.randomUUID().toString(), "bob@acme.example"), manager);

        new Processors(processing, jdbc).awaitCaughtUp(PROJECTIONS);
        assertThat(jdbc.queryForMap("select pending, claimed from read_model.seat_pools where pool_id = ?", poolId))
                .containsEntry("pending", 1).containsEntry("claimed", 0);
        assertThat(jdbc.queryForList("select email, status from read_model.seats where pool_id = ? order by email", poolId))
                .containsExactly(Map.of("email", "ada@acme.example", "status", "REVOKED"), Map.of("email", "bob@acme.example", "status", "PENDING"));
    }

    @Test
    void redeliveringEveryEventChangesNothingAndARebuildFromScratchIsIdentical() {
        SeatScenarios.poolThroughALifecycle(commands, orgId, manager);
        Processors processors = new Processors(processing, jdbc);
        processors.awaitCaughtUp(PROJECTIONS);
        String live = readModel();

        processors.replayFromTheStart(() -> { }, PROJECTIONS);
        assertThat(readModel()).isEqualTo(live);

        processors.replayFromTheStart(() -> owner.jdbc().execute("truncate read_model.seat_pools, read_model.seats, read_model.org_usage, read_model.organizations"), PROJECTIONS);
        assertThat(readModel()).isEqualTo(live);
    }

    @Test
    void aBulkAssignmentUpdatesThePoolOnceAndKeepsTheFeedsCountAfterEverySeat() {
        int seats = 300;
        String poolId = SeatScenarios.pool(commands, orgId, manager, seats);
        commands.send(new AssignSeats(poolId, orgId, IntStream.range(0, seats)
                .mapToObj(i -> new SeatRequest(UUID.randomUUID().toString(), "member" + i + "@acme.example", false, null, Map.of())).toList(), true), manager);
        Processors processors = new Processors(processing, jdbc);
        processors.awaitCaughtUp(PROJECTIONS);

        List<Integer> pendingAfterEachEvent = jdbc.queryForList("select pending from read_model.pool_changes where pool_id = ? order by position",
                Integer.class, poolId);
        assertThat(pendingAfterEachEvent).containsExactlyElementsOf(IntStream.rangeClosed(0, seats).boxed().toList());
        assertThat(jdbc.queryForMap("select pending, version from read_model.seat_pools where pool_id = ?", poolId))
                .containsEntry("pending", seats).containsEntry("version", (long) seats);
        assertThat(jdbc.queryForObject("select count(*) from read_model.seats where pool_id = ? and status = 'PENDING'", Integer.class, poolId))
                .isEqualTo(seats);

        String live = readModel();
        List<String> feed = jdbc.queryForList("select c::text from read_model.pool_changes c where pool_id = ? order by position", String.class, poolId);
        processors.replayFromTheStart(() -> { }, PROJECTIONS);
        assertThat(readModel()).isEqualTo(live);
        assertThat(jdbc.queryForList("select c::text from read_model.pool_changes c where pool_id = ? order by position", String.class, poolId))
                .isEqualTo(feed);
    }

    /** Every row of the read model, in a stable order, as text. */
    private String readModel() {
        List<String> rows = new java.util.ArrayList<>();
        rows.addAll(jdbc.queryForList("select o::text from read_model.organizations o order by org_id", String.class));
        rows.addAll(jdbc.queryForList("select p::text from read_model.seat_pools p order by pool_id", String.class));
        rows.addAll(jdbc.queryForList("select s::text from read_model.seats s order by seat_id", String.class));
        rows.addAll(jdbc.queryForList("select u::text from read_model.org_usage u order by org_id", String.class));
        return String.join("\n", rows);
    }
}
