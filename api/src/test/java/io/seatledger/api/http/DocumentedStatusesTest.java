package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refusals docs/openapi.json documents for a route and no other test asks of that route: a member who is not the
 * billing manager, a token that names no organization, a malformed id, a pool no longer active, a seat no longer
 * pending. Each answers the documented status with its documented code (OpenApiStatusCoverageCheck needs them seen).
 */
class DocumentedStatusesTest extends ApiTest {

    private static final String SEATS = "/api/v1/orgs/{org}/seat-pools/{pool}/seats";
    private static final String SEAT = SEATS + "/{seat}";

    /** A member of the organization who is not its billing manager may read but not change seats, history or audit. */
    @Test
    void aMemberWhoIsNotTheBillingManagerIsRefusedChanges() {
        String poolId = buyPool(2);
        String seatId = (String) assign(poolId, "ann@example.com").get("seatId");
        WebTestClient member = api.as("member-" + UUID.randomUUID(), orgId, "member@example.com");

        forbidden(member.post().uri(SEATS, orgId, poolId).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "bo@example.com")));
        forbidden(member.post().uri(SEATS + "/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", List.of(Map.of("email", "bo@example.com")))));
        forbidden(member.delete().uri(SEAT, orgId, poolId, seatId));
        forbidden(member.post().uri(SEAT + "/resend", orgId, poolId, seatId));
        forbidden(member.post().uri(SEAT + "/transfer", orgId, poolId, seatId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "cy@example.com")));
        forbidden(member.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 3, "effective", "now")));
        forbidden(member.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/interval", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("interval", "year")));
        forbidden(member.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/cancel", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atPeriodEnd", false)));
        forbidden(member.get().uri("/api/v1/orgs/{org}/audit/verify", orgId));
        forbidden(member.get().uri("/api/v1/orgs/{org}/audit/checkpoints/{checkpoint}", orgId, UUID.randomUUID()));
        forbidden(member.get().uri("/api/v1/orgs/{org}/erasures/{erasure}", orgId, UUID.randomUUID()));
        forbidden(member.get().uri("/api/v1/billing/reconciliations/{id}", UUID.randomUUID()));

        manager.get().uri(SEAT, orgId, poolId, seatId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("pending").jsonPath("$.email").isEqualTo("ann@example.com");
    }

    /** A token without an organization can act on none: neither create one nor read its own entitlements. */
    @Test
    void aTokenWithoutAnOrganizationIsRefused() {
        WebTestClient orphan = api.withToken(api.token("orphan-" + UUID.randomUUID(), null, "orphan@example.com"));
        forbidden(orphan.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Nobody's")));
        forbidden(orphan.get().uri("/api/v1/me/entitlements"));
    }

    @Test
    void malformedIdsAreValidationFailures() {
        String poolId = buyPool(1);
        invalid(manager.get().uri(SEATS, orgId, "not-a-pool"));
        invalid(manager.get().uri(SEAT, orgId, poolId, "not-a-seat"));
        invalid(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, "not-a-pool"));
        invalid(manager.get().uri("/api/v1/orgs/{org}/entitlements/{user}", orgId, "u".repeat(256)));
        WebTestClient service = api.as("billing-" + UUID.randomUUID(), orgId, "billing@example.com", "service");
        invalid(service.get().uri("/api/v1/billing/reconciliations/{id}", "not-a-report"));
        Api.problem(service.get().uri("/api/v1/billing/reconciliations/{id}", UUID.randomUUID()).exchange(), 404, "NOT_FOUND");
    }

    /** A canceled pool takes no more seats, interval changes or cancellations; a revoked seat is neither resent nor moved. */
    @Test
    void whatIsNoLongerActiveOrPendingConflicts() {
        String poolId = buyPool(3);
        String seatId = (String) assign(poolId, "dee@example.com").get("seatId");
        manager.delete().uri(SEAT, orgId, poolId, seatId).exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("revoked");
        conflict(manager.post().uri(SEAT + "/resend", orgId, poolId, seatId), "INVALID_SEAT_STATE");
        conflict(manager.post().uri(SEAT + "/transfer", orgId, poolId, seatId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "eve@example.com")), "INVALID_SEAT_STATE");

        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/cancel", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atPeriodEnd", false)).exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("canceled");
        conflict(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/cancel", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atPeriodEnd", false)), "POOL_NOT_ACTIVE");
        conflict(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/interval", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("interval", "year")), "POOL_NOT_ACTIVE");
        conflict(manager.post().uri(SEATS + "/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", List.of(Map.of("email", "f1@example.com")), "atomic", true)), "POOL_NOT_ACTIVE");
    }

    private static void forbidden(WebTestClient.RequestHeadersSpec<?> request) {
        Api.problem(request.exchange(), 403, "FORBIDDEN");
    }

    private static void invalid(WebTestClient.RequestHeadersSpec<?> request) {
        Api.problem(request.exchange(), 400, "VALIDATION_FAILED");
    }

    private static void conflict(WebTestClient.RequestHeadersSpec<?> request, String code) {
        assertThat(Api.problem(request.exchange(), 409, code).path("detail").asString()).isNotBlank();
    }
}
