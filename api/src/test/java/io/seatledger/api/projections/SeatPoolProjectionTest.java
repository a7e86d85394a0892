package io.seatledger.api.projections;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.*;
import io.seatledger.projections.organization.OrganizationProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The PostgreSQL read model follows the events, and replaying them changes nothing. */
class SeatPoolProjectionTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired EventProcessingConfiguration processing;

    private Commands commands;
    private String orgId;
    private AuditMetadata manager;

    @BeforeEach
    void anOrganization() {
        commands = new Commands(gateway);
        orgId = "org-" + UUID.randomUUID();
        manager = Commands.actor("manager-" + UUID.randomUUID(), orgId);
        commands.send(new CreateOrganization(orgId, "Acme", new BillingManager(manager.actorId(), "billing@acme.example")), manager);
    }

    @Test
    void countsAndSeatsFollowASeatsLifecycle() {
        String poolId = aPoolThroughALifecycle();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForMap(
                "select capacity, pending, claimed, status from read_model.seat_pools where pool_id = ?", poolId))
                .containsEntry("capacity", 8).containsEntry("pending", 1).containsEntry("claimed", 1).containsEntry("status", "ACTIVE"));
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
    void redeliveringEveryEventChangesNothingAndARebuildFromScratchIsIdentical() {
        aPoolThroughALifecycle();
        awaitCaughtUp();
        String live = readModel();

        replayFromTheStart(false);
        assertThat(readModel()).isEqualTo(live);

        replayFromTheStart(true);
        assertThat(readModel()).isEqualTo(live);
    }

    private String aPoolThroughALifecycle() {
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, 5, Pricing.perSeat("eur", 1500), BillingInterval.MONTH, null), manager);
        SeatAssignment ada = assign(poolId, "ada@acme.example", false);
        SeatAssignment bob = assign(poolId, "bob@acme.example", true);
        SeatAssignment cy = assign(poolId, "cy@acme.example", false);
        InvitationToken token = InvitationToken.parse(ada.invitation().token()).orElseThrow();
        commands.send(new ClaimSeat(poolId, ada.seatId(), token.sha256(), "user-ada", "ada@acme.example", true), Commands.actor("user-ada", orgId));
        commands.send(new RevokeSeat(poolId, orgId, cy.seatId()), manager);
        commands.send(new TransferSeat(poolId, orgId, bob.seatId(), UUID.randomUUID().toString(), "dee@acme.example"), manager);
        commands.send(new ResizeSeatPool(poolId, orgId, 8, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS), manager);
        return poolId;
    }

    private SeatAssignment assign(String poolId, String email, boolean immediateClaim) {
        return commands.send(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), email, immediateClaim, Map.of("team", "core")), manager);
    }

    /** Every row of the read model, in a stable order, as text. */
    private String readModel() {
        List<String> rows = new java.util.ArrayList<>();
        rows.addAll(jdbc.queryForList("select o::text from read_model.organizations o order by org_id", String.class));
        rows.addAll(jdbc.queryForList("select p::text from read_model.seat_pools p order by pool_id", String.class));
        rows.addAll(jdbc.queryForList("select s::text from read_model.seats s order by seat_id", String.class));
        return String.join("\n", rows);
    }

    private void replayFromTheStart(boolean fromScratch) {
        for (String name : List.of(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR)) {
            StreamingEventProcessor processor = processor(name);
            processor.shutDown();
            if (fromScratch && name.equals(SeatPoolProjection.PROCESSOR)) {
                jdbc.execute("truncate read_model.seat_pools, read_model.seats");
            }
            if (fromScratch && name.equals(OrganizationProjection.PROCESSOR)) {
                jdbc.execute("truncate read_model.organizations");
            }
            processor.resetTokens();
            processor.start();
        }
        awaitCaughtUp();
    }

    /**
     * Every segment of both projections has processed every stored event. (After a reset Axon reports a
     * segment as replaying until an event beyond the reset position arrives, so that flag says nothing here.)
     */
    private void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Long head = jdbc.queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
            for (String name : List.of(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR)) {
                var segments = processor(name).processingStatus().values();
                assertThat(segments).as(name).isNotEmpty().allSatisfy(segment -> {
                    assertThat(segment.isCaughtUp()).as(name + " caught up: " + segment).isTrue();
                    assertThat(segment.getCurrentPosition().orElse(-1)).as(name + " position: " + segment).isGreaterThanOrEqualTo(head);
                });
            }
        });
    }

    private StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class).orElseThrow();
    }
}
