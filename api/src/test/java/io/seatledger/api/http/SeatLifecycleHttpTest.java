package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.EventClock;
import io.seatledger.api.support.Tampering;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.seatledger.api.support.Api.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint's successful answer, end to end: organization, pools, seats, invitations, entitlements, usage, history, audit, admin. */
class SeatLifecycleHttpTest extends ApiTest {

    @org.springframework.beans.factory.annotation.Autowired io.seatledger.projections.rebuild.ShadowRebuild rebuilds;

    @Test
    void organizationIsCreatedOnceAndReadBack() {
        manager.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Acme again"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.orgId").isEqualTo(orgId).jsonPath("$.name").isEqualTo("Acme " + orgId);
        awaitOrganization();
        manager.get().uri("/api/v1/orgs/{org}", orgId).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.billingManager.userId").isEqualTo(managerId)
                .jsonPath("$.billingManager.email").isEqualTo(managerEmail);
    }

    @Test
    void billingManagerHandsOverAndLosesAuthority() {
        awaitOrganization();
        manager.put().uri("/api/v1/orgs/{org}/billing-manager", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("userId", "successor", "email", "successor@example.com"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.billingManager.userId").isEqualTo("successor");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "order", "seats", 3, "pricing", perSeat(100)))
                .exchange().expectStatus().isForbidden()
                .expectHeader().contentType(PROBLEM_JSON).expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
        api.as("successor", orgId, "successor@example.com").post().uri("/api/v1/orgs/{org}/seat-pools", orgId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("kind", "order", "seats", 3, "pricing", perSeat(100)))
                .exchange().expectStatus().isCreated().expectBody().jsonPath("$.kind").isEqualTo("order").jsonPath("$.interval").isEmpty();
    }

    @Test
    void poolIsBoughtListedReadAndReadAsOfAnInstant() {
        String poolId = buyPool(5);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.poolId").isEqualTo(poolId)
                .jsonPath("$.orgId").isEqualTo(orgId)
                .jsonPath("$.kind").isEqualTo("subscription")
                .jsonPath("$.status").isEqualTo("active")
                .jsonPath("$.interval").isEqualTo("month")
                .jsonPath("$.capacity").isEqualTo(5)
                .jsonPath("$.available").isEqualTo(5)
                .jsonPath("$.overAllocated").isEqualTo(0)
                .jsonPath("$.pricing.tiersMode").isEqualTo("volume")
                .jsonPath("$.pricing.tiers[0].unitAmount").isEqualTo(1500)
                .jsonPath("$.currentPeriod.start").exists()
                .jsonPath("$.cancelAtPeriodEnd").isEqualTo(false)
                .jsonPath("$.scheduledChange").isEmpty()
                .jsonPath("$.stripe").isEmpty()
                .jsonPath("$.version").isEqualTo(0)
                .jsonPath("$.createdAt").exists();
        Instant beforeSeats = EventClock.aMillisecondLater();
        EventClock.aMillisecondLater();
        assign(poolId, "ana@example.com");
        String second = buyPool(2);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools?limit=1", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].poolId").isEqualTo(poolId)
                .jsonPath("$.next").isNotEmpty();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools?status=active&limit=10", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(2).jsonPath("$.items[1].poolId").isEqualTo(second)
                .jsonPath("$.next").isEmpty();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}?asOf={at}", orgId, poolId, beforeSeats.toString()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(0).jsonPath("$.capacity").isEqualTo(5);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(1).jsonPath("$.available").isEqualTo(4);
    }

    @Test
    @SuppressWarnings("unchecked")
    void claimLinksDoNotFollowAHostileHostHeader() {
        String poolId = buyPool(2);
        Map<String, Object> seat = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                .header("Host", "evil.example").header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "hostile-host@example.com"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> invitation = (Map<String, Object>) seat.get("invitation");
        assertThat((String) invitation.get("claimUrl")).doesNotContain("evil")
                .isEqualTo("https://seats.example.test/api/v1/invitations/" + invitation.get("token") + "/claim");
    }

    @Test
    void seatIsAssignedPreviewedClaimedAndEntitles() {
        String poolId = buyPool(3);
        Map<String, Object> seat = assign(poolId, "Bea@Example.com");
        assertThat(seat).containsEntry("status", "pending").containsEntry("email", "Bea@Example.com").containsEntry("poolId", poolId);
        @SuppressWarnings("unchecked") Map<String, Object> invitation = (Map<String, Object>) seat.get("invitation");
        String token = (String) invitation.get("token");
        assertThat((String) invitation.get("claimUrl")).endsWith("/api/v1/invitations/" + token + "/claim");

        api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.orgName").isEqualTo("Acme " + orgId).jsonPath("$.poolId").isEqualTo(poolId)
                .jsonPath("$.email").isEqualTo("Bea@Example.com").jsonPath("$.canClaim").isEqualTo(true);

        WebTestClient holder = api.as("bea", "holders-org", "bea@example.com");
        holder.post().uri("/api/v1/invitations/{token}/claim", token).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("claimed").jsonPath("$.holderUserId").isEqualTo("bea")
                .jsonPath("$.invitation").doesNotExist();
        holder.post().uri("/api/v1/invitations/{token}/claim", token).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("INVITATION_INVALID");

        manager.get().uri("/api/v1/orgs/{org}/entitlements/bea", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId").isEqualTo("bea").jsonPath("$.entitled").isEqualTo(true)
                .jsonPath("$.seats[0].poolId").isEqualTo(poolId).jsonPath("$.seats[0].seatId").isEqualTo(seat.get("seatId"));
        api.as("bea", orgId, "bea@example.com").get().uri("/api/v1/me/entitlements").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.entitled").isEqualTo(true);
        manager.get().uri("/api/v1/orgs/{org}/usage", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.capacity").isEqualTo(3).jsonPath("$.claimed").isEqualTo(1).jsonPath("$.pending").isEqualTo(0)
                .jsonPath("$.available").isEqualTo(2).jsonPath("$.pools").isEqualTo(1);
    }

    @Test
    void claimByAnotherAddressIsRefused() {
        String poolId = buyPool(1);
        String token = invitationToken(assign(poolId, "carl@example.com"));
        api.as("mallory", "other", "mallory@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("EMAIL_MISMATCH");
        api.anonymous().get().uri("/api/v1/invitations/{token}", Tampering.changeCharAt(token, token.length() - 10)).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("INVITATION_INVALID");
    }

    @Test
    void expiredInvitationAnswersGone() {
        String poolId = buyPool(1);
        String token = invitationToken(assign(poolId, "dan@example.com"));
        clock.shift(java.time.Duration.ofDays(8));
        api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange()
                .expectStatus().isEqualTo(410).expectBody().jsonPath("$.code").isEqualTo("INVITATION_EXPIRED");
        api.as("dan", "x", "dan@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange()
                .expectStatus().isEqualTo(410).expectBody().jsonPath("$.code").isEqualTo("INVITATION_EXPIRED");
    }

    @Test
    void seatsAreListedRevokedResentAndTransferred() {
        String poolId = buyPool(3);
        Map<String, Object> first = assign(poolId, "eve@example.com");
        Map<String, Object> second = assign(poolId, "fay@example.com");
        String oldToken = invitationToken(second);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats?status=pending&limit=1", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.next").isNotEmpty();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, first.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo("eve@example.com").jsonPath("$.metadata").isMap();

        manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, first.get("seatId")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("revoked").jsonPath("$.revokedAt").exists();
        manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, first.get("seatId")).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("INVALID_SEAT_STATE");

        @SuppressWarnings("unchecked")
        Map<String, Object> resent = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}/resend", orgId, poolId, second.get("seatId"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String newToken = invitationToken(resent);
        assertThat(newToken).isNotEqualTo(oldToken);
        api.anonymous().get().uri("/api/v1/invitations/{token}", oldToken).exchange().expectStatus().isNotFound();
        api.anonymous().get().uri("/api/v1/invitations/{token}", newToken).exchange().expectStatus().isOk();

        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}/transfer", orgId, poolId, second.get("seatId"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "gus@example.com"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo("gus@example.com").jsonPath("$.status").isEqualTo("pending")
                .jsonPath("$.invitation.token").isNotEmpty();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(1).jsonPath("$.claimed").isEqualTo(0);
    }

    @Test
    void capacityAndDuplicatesAreRefusedWithTheirCodes() {
        String poolId = buyPool(1);
        assign(poolId, "hal@example.com");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "HAL@example.com")).exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentType(PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("SEAT_ALREADY_ASSIGNED").jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.type").isNotEmpty().jsonPath("$.title").isNotEmpty().jsonPath("$.detail").isNotEmpty();
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ida@example.com")).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("SEAT_CAPACITY_EXCEEDED");
    }

    @Test
    void bulkAssignmentInJsonAndNdjson() {
        String poolId = buyPool(4);
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atomic", true, "seats", List.of(Map.of("email", "a@example.com"), Map.of("email", "A@example.com"))))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned.length()").isEqualTo(0)
                .jsonPath("$.rejected[0].index").isEqualTo(1).jsonPath("$.rejected[0].code").isEqualTo("SEAT_ALREADY_ASSIGNED");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atomic", false, "seats", List.of(Map.of("email", "a@example.com"), Map.of("email", "not-an-address"))))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned.length()").isEqualTo(1).jsonPath("$.assigned[0].invitation.token").isNotEmpty()
                .jsonPath("$.rejected[0].code").isEqualTo("VALIDATION_FAILED");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue("{\"email\":\"b@example.com\"}\n{\"email\":\"c@example.com\",\"immediateClaim\":true,\"userId\":\"user-c\"}\n")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned.length()").isEqualTo(2).jsonPath("$.assigned[1].status").isEqualTo("claimed")
                .jsonPath("$.rejected.length()").isEqualTo(0);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(2).jsonPath("$.claimed").isEqualTo(1);
    }

    @Test
    void resizeIsPreviewedAppliedScheduledAndRefusedBelowOccupied() {
        String poolId = buyPool(2);
        assign(poolId, "jo@example.com");
        assign(poolId, "kim@example.com");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/resize-preview", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 4, "effective", "period_end")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.currentAmount").isEqualTo(3000).jsonPath("$.newAmount").isEqualTo(6000)
                .jsonPath("$.prorationAmount").isEqualTo(0).jsonPath("$.currency").isEqualTo("eur").jsonPath("$.periodEnd").exists();
        manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 1, "effective", "now", "prorationBehavior", "none")).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("RESIZE_BELOW_OCCUPIED");
        manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 5, "effective", "now", "prorationBehavior", "create_prorations")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.capacity").isEqualTo(5).jsonPath("$.available").isEqualTo(3);
        manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 3, "effective", "period_end", "prorationBehavior", "none")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.capacity").isEqualTo(5).jsonPath("$.scheduledChange.seats").isEqualTo(3)
                .jsonPath("$.scheduledChange.effectiveAt").exists();
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/interval", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("interval", "year")).exchange().expectStatus().isOk().expectBody().jsonPath("$.interval").isEqualTo("year");
    }

    @Test
    void ordersCannotBeResized() {
        String order = (String) manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "order", "seats", 2, "pricing", perSeat(100))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("poolId");
        manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, order).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 3, "effective", "now", "prorationBehavior", "none")).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("POOL_NOT_RESIZABLE");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/resize-preview", orgId, order).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 3, "effective", "now")).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("POOL_NOT_RESIZABLE");
    }

    @Test
    void cancellationRevokesSeatsAndStopsAssignments() {
        String poolId = buyPool(2);
        assign(poolId, "lee@example.com");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/cancel", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atPeriodEnd", false)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("canceled").jsonPath("$.pending").isEqualTo(0);
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "max@example.com")).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("POOL_NOT_ACTIVE");
    }

    @Test
    void historyAndAuditAreForAuditorsAndTheBillingManager() {
        String poolId = buyPool(2);
        assign(poolId, "ned@example.com");
        WebTestClient auditor = api.as("auditor-1", orgId, "auditor@example.com", "auditor");
        WebTestClient member = api.as("member-1", orgId, "member@example.com");
        auditor.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history?limit=1", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].sequence").isEqualTo(0).jsonPath("$.items[0].type").isEqualTo("SeatPoolPurchased")
                .jsonPath("$.items[0].globalPosition").isNumber().jsonPath("$.items[0].metadata.actor.userId").isEqualTo(managerId)
                .jsonPath("$.next").isNotEmpty();
        member.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isForbidden();
        member.get().uri("/api/v1/orgs/{org}/audit", orgId).exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");

        awaitAudit(3);
        manager.get().uri("/api/v1/orgs/{org}/audit?limit=2", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(2).jsonPath("$.items[0].action").isEqualTo("OrganizationCreated")
                .jsonPath("$.items[0].hash").isNotEmpty().jsonPath("$.next").isNotEmpty();
        auditor.get().uri("/api/v1/orgs/{org}/audit?action=SeatAssigned", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].seatId").isNotEmpty();
        String ndjson = auditor.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(MediaType.parseMediaType("application/x-ndjson")).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith("application/x-ndjson")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(ndjson.lines()).hasSize(3);
        String csv = auditor.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv.lines()).hasSize(4).first().asString().startsWith("position,occurredAt");
        assertThat(csv.split("\r\n", -1)).as("RFC 4180 line ends").hasSize(5).endsWith("");
        String pgaudit = auditor.get().uri("/api/v1/orgs/{org}/audit?format=pgaudit", orgId).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(pgaudit.lines()).hasSize(3).allMatch(line -> line.contains(" LOG:  AUDIT: SESSION,"));
        auditor.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.valid").isEqualTo(true).jsonPath("$.entries").isEqualTo(3)
                .jsonPath("$.headHash").isNotEmpty().jsonPath("$.firstInvalidPosition").isEmpty().jsonPath("$.fault").isEmpty();
    }

    @Test
    void projectionsAreListedAndReplayedForAdminsOnly() {
        WebTestClient admin = api.as("root", "ops", "root@example.com", "admin");
        admin.get().uri("/api/v1/admin/projections").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.name == 'seat-pools')].status").exists()
                .jsonPath("$[0].position").isNumber().jsonPath("$[0].headPosition").isNumber().jsonPath("$[0].lag").isNumber();
        manager.get().uri("/api/v1/admin/projections").exchange().expectStatus().isForbidden();
        admin.post().uri("/api/v1/admin/projections/no-such-projection/replay").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        manager.post().uri("/api/v1/admin/projections/organizations/replay").exchange().expectStatus().isForbidden();

        admin.post().uri("/api/v1/admin/projections/organizations/replay").exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.name").isEqualTo("organizations");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> rebuilds.progress("organizations")
                .map(progress -> progress.phase() == io.seatledger.projections.rebuild.RebuildProgress.Phase.DONE).orElse(false));
        manager.get().uri("/api/v1/orgs/{org}", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.billingManager.userId").isEqualTo(managerId);
    }

    private void awaitOrganization() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> manager.get().uri("/api/v1/orgs/{org}", orgId).exchange().returnResult(String.class).getStatus().value() == 200);
    }

    private void awaitAudit(int entries) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            String ndjson = manager.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(MediaType.parseMediaType("application/x-ndjson"))
                    .exchange().expectBody(String.class).returnResult().getResponseBody();
            return ndjson != null && ndjson.lines().count() >= entries;
        });
    }

    @SuppressWarnings("unchecked")
    static String invitationToken(Map<String, Object> seat) {
        return (String) ((Map<String, Object>) seat.get("invitation")).get("token");
    }
}
