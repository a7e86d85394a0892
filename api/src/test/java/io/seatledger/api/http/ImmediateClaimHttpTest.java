package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.seatledger.api.support.Api.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seat claimed at once names its holder ({@code userId}): that user is entitled right after, by the
 * organization's entitlement check and by their own; without the user id (or with one but no immediate
 * claim) the request is refused and nothing is stored. One seat, bulk JSON and bulk NDJSON alike.
 */
class ImmediateClaimHttpTest extends ApiTest {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    @Autowired JdbcTemplate jdbc;

    @Test
    void aSeatClaimedAtOnceEntitlesItsHolder() {
        String poolId = buyPool(2);
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "immediateClaim", true, "userId", "user-ann"))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.status").isEqualTo("claimed").jsonPath("$.holderUserId").isEqualTo("user-ann")
                .jsonPath("$.invitation").doesNotExist();
        expectEntitled("user-ann", poolId);
    }

    @Test
    void eachBulkRowClaimedAtOnceEntitlesItsHolderInJsonAndNdjson() {
        String poolId = buyPool(5);
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", List.of(Map.of("email", "bo@example.com", "immediateClaim", true, "userId", "user-bo"),
                        Map.of("email", "cy@example.com"))))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned.length()").isEqualTo(2).jsonPath("$.assigned[0].status").isEqualTo("claimed")
                .jsonPath("$.rejected.length()").isEqualTo(0);
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(NDJSON)
                .bodyValue("{\"email\":\"di@example.com\",\"immediateClaim\":true,\"userId\":\"user-di\"}\n")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned.length()").isEqualTo(1).jsonPath("$.assigned[0].status").isEqualTo("claimed");
        expectEntitled("user-bo", poolId);
        expectEntitled("user-di", poolId);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.claimed").isEqualTo(2).jsonPath("$.pending").isEqualTo(1);
    }

    @Test
    void aSingleSeatWithoutItsHolderOrWithAHolderButNoImmediateClaimIsRefused() {
        String poolId = buyPool(2);
        long before = eventsOf(poolId);
        expectInvalidUserId(poolId, Map.of("email", "ann@example.com", "immediateClaim", true));
        expectInvalidUserId(poolId, Map.of("email", "ann@example.com", "immediateClaim", true, "userId", " "));
        expectInvalidUserId(poolId, Map.of("email", "ann@example.com", "immediateClaim", true, "userId", "u".repeat(256)));
        expectInvalidUserId(poolId, Map.of("email", "ann@example.com", "immediateClaim", true, "userId", "user\u0000ann"));
        expectInvalidUserId(poolId, Map.of("email", "ann@example.com", "userId", "user-ann"));
        expectInvalidUserId(poolId, Map.of("email", "ann@example.com", "immediateClaim", false, "userId", "user-ann"));
        assertThat(eventsOf(poolId)).as("nothing stored").isEqualTo(before);

        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann@example.com", "immediateClaim", true, "userId", "user-ann")).exchange().expectStatus().isCreated();
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ann.other@example.com", "immediateClaim", true, "userId", "user-ann"))
                .exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("SEAT_ALREADY_ASSIGNED");
    }

    @Test
    void bulkRowsWithoutTheirHolderAreRejectedRowsAndAnAtomicBulkStoresNothing() {
        String poolId = buyPool(5);
        long before = eventsOf(poolId);
        Map<String, Object> withoutHolder = Map.of("email", "eve@example.com", "immediateClaim", true);
        Map<String, Object> fine = Map.of("email", "fay@example.com", "immediateClaim", true, "userId", "user-fay");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", List.of(fine, withoutHolder)))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned.length()").isEqualTo(0)
                .jsonPath("$.rejected.length()").isEqualTo(1).jsonPath("$.rejected[0].index").isEqualTo(1)
                .jsonPath("$.rejected[0].code").isEqualTo("VALIDATION_FAILED");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(NDJSON)
                .bodyValue("{\"email\":\"gus@example.com\",\"immediateClaim\":true}\n{\"email\":\"hal@example.com\",\"userId\":\"user-hal\"}\n")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned.length()").isEqualTo(0)
                .jsonPath("$.rejected[0].code").isEqualTo("VALIDATION_FAILED").jsonPath("$.rejected[1].code").isEqualTo("VALIDATION_FAILED");
        assertThat(eventsOf(poolId)).as("nothing stored").isEqualTo(before);

        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk?atomic=false", orgId, poolId).contentType(NDJSON)
                .bodyValue("{\"email\":\"gus@example.com\",\"immediateClaim\":true}\n{\"email\":\"fay@example.com\",\"immediateClaim\":true,\"userId\":\"user-fay\"}\n")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned.length()").isEqualTo(1).jsonPath("$.assigned[0].email").isEqualTo("fay@example.com")
                .jsonPath("$.rejected.length()").isEqualTo(1).jsonPath("$.rejected[0].index").isEqualTo(0)
                .jsonPath("$.rejected[0].code").isEqualTo("VALIDATION_FAILED");
        expectEntitled("user-fay", poolId);
        api.as("user-gus", orgId, "gus@example.com").get().uri("/api/v1/me/entitlements").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.entitled").isEqualTo(false);
    }

    private void expectEntitled(String userId, String poolId) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                manager.get().uri("/api/v1/orgs/{org}/entitlements/{user}", orgId, userId).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.userId").isEqualTo(userId).jsonPath("$.entitled").isEqualTo(true)
                        .jsonPath("$.seats[0].poolId").isEqualTo(poolId));
        WebTestClient holder = api.as(userId, orgId, userId + "@example.com");
        holder.get().uri("/api/v1/me/entitlements").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId").isEqualTo(userId).jsonPath("$.entitled").isEqualTo(true)
                .jsonPath("$.seats[0].poolId").isEqualTo(poolId);
    }

    private void expectInvalidUserId(String poolId, Map<String, Object> body) {
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(new HashMap<>(body))
                .exchange().expectStatus().isBadRequest().expectHeader().contentType(PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED").jsonPath("$.errors[0].field").isEqualTo("userId");
    }

    private long eventsOf(String poolId) {
        return jdbc.queryForObject("select count(*) from events.domain_event_entry where aggregate_identifier = ?", Long.class, poolId);
    }
}
