package io.seatledger.api.writemodel;

import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.SeatScenarios;
import io.seatledger.messages.common.AlreadyApplied;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.organization.AppointBillingManager;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.organization.OrganizationSummary;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.*;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.seatledger.api.support.Commands.actor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WriteModelIntegrationTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired EventStore eventStore;

    private Commands commands;
    private String orgId;
    private AuditMetadata manager;

    @BeforeEach
    void anOrganizationWithABillingManager() {
        commands = new Commands(gateway);
        SeatScenarios.Tenant tenant = SeatScenarios.organization(commands);
        orgId = tenant.orgId();
        manager = tenant.manager();
    }

    private String purchasePool(int seats) {
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, seats, Pricing.perSeat("eur", 1200), BillingInterval.MONTH, null), manager);
        return poolId;
    }

    private List<? extends DomainEventMessage<?>> eventsOf(String aggregateId) {
        return eventStore.readEvents(aggregateId).asStream().toList();
    }

    @Test
    void creatingTheSameOrganizationAgainAnswersTheExistingOne() {
        OrganizationSummary again = commands.send(new CreateOrganization(orgId, "Other name", new BillingManager(manager.actorId(), "x@acme.example")), manager);
        assertThat(again.created()).isFalse();
        assertThat(again.name()).isEqualTo("Acme");
        assertThat(eventsOf(orgId)).hasSize(1);
    }

    @Test
    void aSeatIsAssignedAndClaimedAndEveryEventSaysWhoWhyAndForWhichTenant() {
        String poolId = purchasePool(5);
        String seatId = UUID.randomUUID().toString();
        AuditMetadata assigning = actor(manager.actorId(), orgId);
        SeatAssignment assignment = commands.sendInRequest(new AssignSeat(poolId, orgId, seatId, "ada@acme.example", false, null, Map.of()), assigning);

        InvitationToken token = InvitationToken.parse(assignment.invitation().token()).orElseThrow();
        AuditMetadata holder = actor("user-ada", orgId);
        SeatState claimed = commands.sendInRequest(new ClaimSeat(token.poolId().toString(), token.seatId().toString(), token.sha256(), "user-ada", "ada@acme.example", true), holder);
        assertThat(claimed.seatId()).isEqualTo(seatId);
        assertThat(claimed.status()).isEqualTo(SeatStatus.CLAIMED);
        assertThat(claimed.holderUserId()).isEqualTo("user-ada");

        List<? extends DomainEventMessage<?>> events = eventsOf(poolId);
        assertThat(events).extracting(event -> event.getPayload().getClass().getSimpleName())
                .containsExactly("SeatPoolPurchased", "SeatAssigned", "SeatClaimed");
        DomainEventMessage<?> assigned = events.get(1);
        assertThat(assigned.getMetaData())
                .containsEntry(AuditMetadata.ACTOR_ID, manager.actorId())
                .containsEntry(AuditMetadata.REQUEST_ID, assigning.requestId())
                .containsEntry(AuditMetadata.ORG_ID, orgId)
                .containsKey(AuditMetadata.ACTOR_ROLES)
                .containsKey(AuditMetadata.REASON);
        assertThat(events.get(2).getMetaData()).containsEntry(AuditMetadata.ACTOR_ID, "user-ada").containsEntry(AuditMetadata.REQUEST_ID, holder.requestId());
        assertThat(((SeatAssigned) assigned.getPayload()).invitationTokenHash()).isEqualTo(token.sha256());
    }

    @Test
    void theTokenItselfIsNeverStored() {
        String poolId = purchasePool(1);
        SeatAssignment assignment = commands.send(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "ada@acme.example", false, null, Map.of()), manager);
        assertThat(eventsOf(poolId)).allSatisfy(event -> {
            assertThat(event.getPayload().toString()).doesNotContain(assignment.invitation().token());
            assertThat(event.getMetaData().toString()).doesNotContain(assignment.invitation().token());
        });
    }

    @Test
    void onlyTheBillingManagerOrAnAdminManagesSeatsAndNothingIsStoredWhenRefused() {
        String poolId = purchasePool(5);
        AssignSeat assign = new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "eve@acme.example", false, null, Map.of());
        assertThat(commands.refusal(assign, actor("someone-else", orgId))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(commands.refusal(assign, actor("auditor-1", orgId, "auditor"))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(eventsOf(poolId)).hasSize(1);

        commands.send(assign, actor("support-admin", "another-org", "admin"));
        assertThat(eventsOf(poolId)).hasSize(2);
    }

    @Test
    void billingAuthorityMovesWithTheBillingManager() {
        String poolId = purchasePool(5);
        AuditMetadata successor = actor("manager-2", orgId);
        assertThat(commands.refusal(new AppointBillingManager(orgId, new BillingManager("manager-3", "m3@acme.example")), successor))
                .isEqualTo(ErrorCode.FORBIDDEN);
        commands.send(new AppointBillingManager(orgId, new BillingManager(successor.actorId(), "m2@acme.example")), manager);

        AssignSeat assign = new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "bob@acme.example", false, null, Map.of());
        assertThat(commands.refusal(assign, actor(manager.actorId(), orgId))).isEqualTo(ErrorCode.FORBIDDEN);
        SeatAssignment byNewManager = commands.send(assign, successor);
        assertThat(byNewManager.status()).isEqualTo(SeatStatus.PENDING);
    }

    @Test
    void onlyTheBillingIntegrationGivesProviderCommands() {
        String poolId = purchasePool(5);
        assertThat(commands.refusal(new ApplyProviderState(poolId, orgId, new ProviderState(ProviderPayment.PAID, null, 2, null, null, false), null), manager)).isEqualTo(ErrorCode.FORBIDDEN);
        commands.send(new ApplyProviderState(poolId, orgId, new ProviderState(ProviderPayment.PAID, null, 2, null, null, false), null), actor("stripe-sync", orgId, "service"));
        assertThat(eventsOf(poolId)).last().satisfies(event -> assertThat(event.getPayload()).isInstanceOf(SeatCapacityForced.class));
    }

    @Test
    void anotherTenantsPoolAndAnUnknownPoolAreNotFound() {
        String poolId = purchasePool(5);
        String otherOrg = "org-" + UUID.randomUUID();
        AuditMetadata otherManager = actor("manager-" + UUID.randomUUID(), otherOrg);
        commands.send(new CreateOrganization(otherOrg, "Globex", new BillingManager(otherManager.actorId(), "billing@globex.example")), otherManager);

        assertThat(commands.refusal(new AssignSeat(poolId, otherOrg, UUID.randomUUID().toString(), "x@globex.example", false, null, Map.of()), otherManager))
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(commands.refusal(new RevokeSeat(UUID.randomUUID().toString(), orgId, UUID.randomUUID().toString()), manager))
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(commands.refusal(new AssignSeat(poolId, "no-such-org", UUID.randomUUID().toString(), "x@globex.example", false, null, Map.of()), actor("u", "no-such-org")))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aRepeatedRequestIdRecordsNothingNew() {
        String poolId = purchasePool(5);
        AuditMetadata once = actor(manager.actorId(), orgId);
        commands.sendInRequest(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "ada@acme.example", false, null, Map.of()), once);
        Object again = commands.sendInRequest(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "ada@acme.example", false, null, Map.of()), once);
        assertThat(again).isEqualTo(new AlreadyApplied(once.requestId()));
        assertThat(eventsOf(poolId)).hasSize(2);
    }

    @Test
    void anUnclaimedInvitationExpiresThroughTheDurableDeadlineAsTheSystemsDecision() {
        String poolId = purchasePool(1);
        // Seven days of validity that end two seconds from now.
        clock.shift(Duration.ofDays(-7).plusSeconds(2));
        String seatId = UUID.randomUUID().toString();
        commands.send(new AssignSeat(poolId, orgId, seatId, "ada@acme.example", false, null, Map.of()), manager);
        clock.reset();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(eventsOf(poolId)).last().satisfies(event -> assertThat(event.getPayload()).isInstanceOf(SeatExpired.class)));
        DomainEventMessage<?> expired = eventsOf(poolId).get(2);
        assertThat(((SeatExpired) expired.getPayload()).seatId()).isEqualTo(seatId);
        assertThat(expired.getMetaData())
                .containsEntry(AuditMetadata.ACTOR_ID, AuditMetadata.SYSTEM_ACTOR)
                .containsEntry(AuditMetadata.REASON, "invitation_expired")
                .containsEntry(AuditMetadata.ORG_ID, orgId);
        // The expired seat freed its capacity.
        SeatAssignment next = commands.send(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), "bob@acme.example", false, null, Map.of()), manager);
        assertThat(next.status()).isEqualTo(SeatStatus.PENDING);
    }
}
