package io.seatledger.api.support;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.*;

import java.util.Map;
import java.util.UUID;

/** Command sequences several tests need. */
public final class SeatScenarios {

    private SeatScenarios() {
    }

    /** An organization and its billing manager, as the tests act for them. */
    public record Tenant(String orgId, AuditMetadata manager) {
    }

    /** A new organization, "Acme", whose billing manager is a new user. */
    public static Tenant organization(Commands commands) {
        String orgId = "org-" + UUID.randomUUID();
        AuditMetadata manager = Commands.actor("manager-" + UUID.randomUUID(), orgId);
        commands.send(new CreateOrganization(orgId, "Acme", new BillingManager(manager.actorId(), "billing@acme.example")), manager);
        return new Tenant(orgId, manager);
    }

    /** A new monthly pool of {@code seats} seats, priced per seat; returns its id. */
    public static String pool(Commands commands, String orgId, AuditMetadata manager, int seats) {
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, seats, Pricing.perSeat("eur", 900), BillingInterval.MONTH, null), manager);
        return poolId;
    }

    /**
     * A 5-seat pool resized to 8: ada claims her invitation, bob's immediately claimed seat is transferred to
     * dee (pending), cy's invitation is revoked. Ends with 1 pending and 1 claimed seat.
     */
    public static String poolThroughALifecycle(Commands commands, String orgId, AuditMetadata manager) {
        String poolId = UUID.randomUUID().toString();
        commands.send(new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, 5, Pricing.perSeat("eur", 1500), BillingInterval.MONTH, null), manager);
        SeatAssignment ada = assign(commands, poolId, orgId, manager, "ada@acme.example", false);
        SeatAssignment bob = assign(commands, poolId, orgId, manager, "bob@acme.example", true);
        SeatAssignment cy = assign(commands, poolId, orgId, manager, "cy@acme.example", false);
        InvitationToken token = InvitationToken.parse(ada.invitation().token()).orElseThrow();
        commands.send(new ClaimSeat(poolId, ada.seatId(), token.sha256(), "user-ada", "ada@acme.example", true), Commands.actor("user-ada", orgId));
        commands.send(new RevokeSeat(poolId, orgId, cy.seatId()), manager);
        commands.send(new TransferSeat(poolId, orgId, bob.seatId(), UUID.randomUUID().toString(), "dee@acme.example"), manager);
        commands.send(new ResizeSeatPool(poolId, orgId, 8, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS), manager);
        return poolId;
    }

    private static SeatAssignment assign(Commands commands, String poolId, String orgId, AuditMetadata manager, String email, boolean immediateClaim) {
        return commands.send(new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), email, immediateClaim,
                immediateClaim ? "user-" + email.substring(0, email.indexOf('@')) : null, Map.of("team", "core")), manager);
    }
}
