package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.LogProbe;
import io.seatledger.api.support.Tampering;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.seatledger.api.support.Api.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a request can be wrong answers a problem with a stable code, never a 500, and stores nothing;
 * another tenant's resources do not exist for the caller.
 */
class HttpErrorsTest extends ApiTest {

    @Autowired JdbcTemplate jdbc;

    @Test
    void requestsWithoutAValidTokenAreUnauthenticated() {
        String path = "/api/v1/orgs/" + orgId + "/seat-pools";
        api.anonymous().get().uri(path).exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(PROBLEM_JSON).expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
        api.withToken("not.a.jwt").get().uri(path).exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
        String token = api.token(managerId, orgId, managerEmail);
        String tampered = Tampering.changeCharAt(token, token.lastIndexOf('.') + 2);
        api.withToken(tampered).get().uri(path).exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void devTokensAreIssuedOnlyForKnownRoles() {
        for (String roles : List.of("[\"owner\"]", "[null]", "[\"auditor\", null]")) {
            expectInvalid(api.anonymous().post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"sub\": \"ann\", \"org\": \"acme\", \"roles\": " + roles + "}").exchange(), "roles");
        }
    }

    @Test
    void anotherTenantsPathsDoNotExistOnAnyEndpoint() {
        String poolId = buyPool(2);
        Map<String, Object> seat = assign(poolId, "probe@example.com");
        String seatId = (String) seat.get("seatId");
        WebTestClient stranger = api.as("stranger", Api.newOrgId(), "stranger@example.com", "auditor");
        String org = "/api/v1/orgs/" + orgId;
        String pool = org + "/seat-pools/" + poolId;
        String seatPath = pool + "/seats/" + seatId;
        List<Probe> probes = List.of(
                new Probe(HttpMethod.GET, org, null),
                new Probe(HttpMethod.PUT, org + "/billing-manager", Map.of("userId", "x", "email", "x@example.com")),
                new Probe(HttpMethod.POST, org + "/seat-pools", Map.of("kind", "order", "seats", 1, "pricing", perSeat(1))),
                new Probe(HttpMethod.POST, org + "/checkout-sessions", Map.of("kind", "order", "seats", 1, "pricing", perSeat(1),
                        "successUrl", "https://example.com/ok", "cancelUrl", "https://example.com/no")),
                new Probe(HttpMethod.GET, org + "/seat-pools", null),
                new Probe(HttpMethod.GET, pool, null),
                new Probe(HttpMethod.GET, pool + "?asOf=2026-01-01T00:00:00Z", null),
                new Probe(HttpMethod.GET, pool + "/history", null),
                new Probe(HttpMethod.POST, pool + "/resize-preview", Map.of("seats", 3, "effective", "now")),
                new Probe(HttpMethod.PATCH, pool, Map.of("seats", 3, "effective", "now", "prorationBehavior", "none")),
                new Probe(HttpMethod.POST, pool + "/interval", Map.of("interval", "year")),
                new Probe(HttpMethod.POST, pool + "/cancel", Map.of("atPeriodEnd", false)),
                new Probe(HttpMethod.POST, pool + "/seats", Map.of("email", "x@example.com")),
                new Probe(HttpMethod.POST, pool + "/seats/bulk", Map.of("seats", List.of(Map.of("email", "x@example.com")))),
                new Probe(HttpMethod.GET, pool + "/seats", null),
                new Probe(HttpMethod.GET, seatPath, null),
                new Probe(HttpMethod.DELETE, seatPath, null),
                new Probe(HttpMethod.POST, seatPath + "/resend", null),
                new Probe(HttpMethod.POST, seatPath + "/transfer", Map.of("email", "y@example.com")),
                new Probe(HttpMethod.GET, org + "/entitlements/" + managerId, null),
                new Probe(HttpMethod.GET, org + "/usage", null),
                new Probe(HttpMethod.GET, org + "/stream", null),
                new Probe(HttpMethod.GET, org + "/audit", null),
                new Probe(HttpMethod.GET, org + "/audit/verify", null));
        for (Probe probe : probes) {
            WebTestClient.RequestBodySpec request = stranger.method(probe.method()).uri(probe.path());
            WebTestClient.ResponseSpec response = probe.body() == null ? request.exchange()
                    : request.contentType(MediaType.APPLICATION_JSON).bodyValue(probe.body()).exchange();
            response.expectStatus().isNotFound().expectHeader().contentType(PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        }
        manager.get().uri(pool).exchange().expectStatus().isOk().expectBody().jsonPath("$.pending").isEqualTo(1).jsonPath("$.status").isEqualTo("active");
        manager.get().uri(seatPath).exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("pending");
        manager.get().uri(org).exchange().expectStatus().isOk().expectBody().jsonPath("$.billingManager.userId").isEqualTo(managerId);
    }

    @Test
    void adminsSeeEveryOrganization() {
        String poolId = buyPool(1);
        api.as("root", "ops", "root@example.com", "admin").get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.poolId").isEqualTo(poolId);
    }

    @Test
    void unknownResourcesAndMalformedIds() {
        String poolId = buyPool(1);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, UUID.randomUUID()).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, UUID.randomUUID()).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, UUID.randomUUID()).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/not-a-uuid", orgId).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED").jsonPath("$.errors[0].field").isEqualTo("poolId");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}/resend", orgId, poolId, "1234").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("seatId");
        manager.get().uri("/api/v1/no-such-route").exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        manager.put().uri("/api/v1/orgs/{org}/seat-pools", orgId).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools?limit=0", orgId).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools?cursor=garbage", orgId).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools?status=sleeping", orgId).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("status");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}?asOf=yesterday", orgId, poolId).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("asOf");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools?limit=ten", orgId).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
        manager.get().uri("/api/v1/orgs/{org}/stream", orgId).header("Last-Event-ID", "yesterday").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void everyProblemNamesItsRequestAndAFailureOfOursKeepsItOutOfTheDetail() {
        String token = "c2VjcmV0LWludml0YXRpb24tdG9rZW4";
        JsonNode internal = Api.problem(manager.get().uri(LogProbe.FAILING_INVITATION_PATH, token).exchange(), 500, "INTERNAL_ERROR");
        assertThat(internal.path("detail").asString()).doesNotContain(internal.path("requestId").asString());
        assertThat(internal.toString()).as("the invitation token is not echoed").doesNotContain(token);
        JsonNode unknownInvitation = Api.problem(api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange(), 404, "INVITATION_INVALID");
        assertThat(unknownInvitation.toString()).as("the invitation token is not echoed").doesNotContain(token);
        Api.problem(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, UUID.randomUUID()).exchange(), 404, "NOT_FOUND");
        Api.problem(api.anonymous().get().uri("/api/v1/orgs/{org}/seat-pools", orgId).exchange(), 401, "UNAUTHENTICATED");
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId).contentType(MediaType.TEXT_PLAIN).bodyValue("x").exchange(),
                415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void malformedBodiesAreRefusedAndNothingIsStored() {
        String poolId = buyPool(2);
        long eventsBefore = storedEvents();
        String seats = "/api/v1/orgs/" + orgId + "/seat-pools/" + poolId + "/seats";
        String pools = "/api/v1/orgs/" + orgId + "/seat-pools";
        expectInvalid(post(seats, "{\"email\": "), null);
        expectInvalid(post(seats, "[]"), null);
        expectInvalid(post(seats, ""), null);
        expectInvalid(post(seats, "{\"email\":\"a@example.com\",\"role\":\"admin\"}"), "role");
        expectInvalid(post(seats, "{\"email\":42}"), "email");
        expectInvalid(post(seats, "{\"email\":\"a@example.com\",\"immediateClaim\":\"yes\"}"), "immediateClaim");
        expectInvalid(post(seats, "{\"email\":\"a@example.com\"} trailing"), null);
        expectInvalid(post(seats, "{\"email\":\"nobody\"}"), "email");
        expectInvalid(post(pools, "{\"kind\":\"subscription\",\"seats\":\"5\",\"interval\":\"month\",\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":0}]}}"), "seats");
        expectInvalid(post(pools, "{\"kind\":\"subscription\",\"seats\":2.5,\"interval\":\"month\",\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":0}]}}"), "seats");
        expectInvalid(post(pools, "{\"kind\":\"lease\",\"seats\":2,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":0}]}}"), "kind");
        expectInvalid(post(pools, "{\"kind\":\"order\",\"seats\":0,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":0}]}}"), "seats");
        expectInvalid(post(pools, "{\"kind\":\"order\",\"seats\":100001,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":0}]}}"), "seats");
        expectInvalid(post(pools, "{\"kind\":\"subscription\",\"seats\":2,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":0}]}}"), "interval");
        expectInvalid(post(pools, "{\"kind\":\"order\",\"seats\":2,\"pricing\":{\"currency\":\"EURO\",\"tiersMode\":\"volume\",\"tiers\":[]}}"), null);
        expectInvalid(post(pools, "{\"kind\":\"order\",\"seats\":2,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":5,\"unitAmount\":1,\"flatAmount\":0}]}}"), null);
        expectInvalid(manager.patch().uri(pools + "/" + poolId).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"seats\":3}").exchange(), "effective");
        expectInvalid(post(seats + "/bulk", "{\"seats\":[]}"), "seats");
        expectInvalid(post(seats + "/bulk", "{\"seats\":[null]}"), "seats[0]");
        assertThat(storedEvents()).as("nothing was stored for a refused request").isEqualTo(eventsBefore);
    }

    /** U+0000, another C0 control, a C1 control, the line separator, a lone surrogate: each as JSON would carry it. */
    static final List<String> CONTROL_CHARACTERS = List.of("\\u0000", "\\u001b", "\\u0085", "\\u2028", "\\ud800");

    @Test
    void controlCharactersAreRefusedWhereverTextIsAccepted() {
        String poolId = buyPool(2);
        String seatId = (String) assign(poolId, "holder@example.com").get("seatId");
        long eventsBefore = storedEvents();
        String org = "/api/v1/orgs/" + orgId;
        String seats = org + "/seat-pools/" + poolId + "/seats";
        for (String control : CONTROL_CHARACTERS) {
            expectInvalid(post(seats, "{\"email\":\"a" + control + "@example.com\"}"), "email");
            expectInvalid(post(seats, "{\"email\":\"a@example.com" + control + "\"}"), "email");
            expectInvalid(post(seats, "{\"email\":\"a@example.com\",\"metadata\":{\"note\":\"x" + control + "\"}}"), "metadata.note");
            // a lone surrogate in a field name is already malformed JSON to the parser, so no field is named then
            expectInvalid(post(seats, "{\"email\":\"a@example.com\",\"metadata\":{\"no" + control + "te\":\"x\"}}"),
                    control.equals("\\ud800") ? null : "metadata");
            expectInvalid(post(seats + "/" + seatId + "/transfer", "{\"email\":\"b" + control + "@example.com\"}"), "email");
            expectInvalid(post("/api/v1/orgs", "{\"name\":\"Acme" + control + "\"}"), "name");
            expectInvalid(manager.put().uri(org + "/billing-manager").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"userId\":\"u" + control + "\",\"email\":\"u@example.com\"}").exchange(), "userId");
            expectInvalid(manager.put().uri(org + "/billing-manager").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"userId\":\"u\",\"email\":\"u" + control + "@example.com\"}").exchange(), "email");
            expectInvalid(post(org + "/checkout-sessions", "{\"kind\":\"order\",\"seats\":1,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\","
                    + "\"tiers\":[{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":0}]},\"successUrl\":\"https://example.com/ok" + control
                    + "\",\"cancelUrl\":\"https://example.com/no\"}"), "successUrl");
        }
        assertThat(storedEvents()).as("nothing was stored for a refused request").isEqualTo(eventsBefore);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBulkLineWithAControlCharacterIsARefusedRow() {
        String poolId = buyPool(3);
        long eventsBefore = storedEvents();
        String lines = "{\"email\":\"ok@example.com\"}\n{\"email\":\"poison@example.com\",\"metadata\":{\"note\":\"\\u0000\"}}\n"
                + "{\"email\":\"nul\\u0000@example.com\"}\n";
        Map<String, Object> answer = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId)
                .contentType(MediaType.parseMediaType("application/x-ndjson")).bodyValue(lines).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Object>) answer.get("assigned")).isEmpty();
        assertThat((List<Map<String, Object>>) answer.get("rejected")).extracting(row -> row.get("index") + " " + row.get("code"))
                .containsExactly("1 VALIDATION_FAILED", "2 VALIDATION_FAILED");
        assertThat(storedEvents()).as("all or none: the row refused, nothing stored").isEqualTo(eventsBefore);
    }

    @Test
    void amountsAndNumbersTooLargeForThePriceMathAreRefused() {
        String pools = "/api/v1/orgs/" + orgId + "/seat-pools";
        String poolId = buyPool(2);
        long eventsBefore = storedEvents();
        for (String tier : List.of("{\"upTo\":null,\"unitAmount\":1000000001,\"flatAmount\":0}", "{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":9223372036854775807}",
                "{\"upTo\":null,\"unitAmount\":100000000000000000000000,\"flatAmount\":0}")) {
            expectInvalid(post(pools, "{\"kind\":\"order\",\"seats\":2,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[" + tier + "]}}"), null);
        }
        expectInvalid(post(pools, "{\"kind\":\"order\",\"seats\":2,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1000000001,\"flatAmount\":0}]}}"), "pricing");
        expectInvalid(post(pools, "{\"kind\":\"order\",\"seats\":99999999999999999999,\"pricing\":{\"currency\":\"eur\",\"tiersMode\":\"volume\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1,\"flatAmount\":0}]}}"), null);
        expectInvalid(post(pools + "/" + poolId + "/resize-preview", "{\"seats\":2147483648,\"effective\":\"now\"}"), null);
        expectInvalid(post(pools + "/" + poolId + "/resize-preview", "{\"seats\":2147483647,\"effective\":\"now\"}"), "seats");
        assertThat(storedEvents()).isEqualTo(eventsBefore);
    }

    @Test
    void unsupportedMediaTypesAndOversizedBodies() {
        String poolId = buyPool(1);
        long eventsBefore = storedEvents();
        String seats = "/api/v1/orgs/" + orgId + "/seat-pools/" + poolId + "/seats";
        manager.post().uri(seats).contentType(MediaType.TEXT_PLAIN).bodyValue("email=a@example.com").exchange()
                .expectStatus().isEqualTo(415).expectHeader().contentType(PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        manager.post().uri(seats).contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("email=a@example.com").exchange()
                .expectStatus().isEqualTo(415).expectBody().jsonPath("$.code").isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        String huge = "{\"email\":\"a@example.com\",\"metadata\":{\"note\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}}";
        manager.post().uri(seats).contentType(MediaType.APPLICATION_JSON).bodyValue(huge).exchange()
                .expectStatus().isEqualTo(413).expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        manager.post().uri(seats).header("Idempotency-Key", "big-" + UUID.randomUUID()).contentType(MediaType.APPLICATION_JSON).bodyValue(huge)
                .exchange().expectStatus().isEqualTo(413).expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(storedEvents()).isEqualTo(eventsBefore);
    }

    @Test
    void bulkRequestsAreLimitedToTenThousandSeats() {
        String poolId = buyPool(1);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i <= 10_000; i++) {
            lines.append("{\"email\":\"u").append(i).append("@example.com\"}\n");
        }
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue(lines.toString()).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED").jsonPath("$.errors[0].field").isEqualTo("seats");
    }

    private WebTestClient.ResponseSpec post(String path, String json) {
        return manager.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    private static void expectInvalid(WebTestClient.ResponseSpec response, String field) {
        WebTestClient.BodyContentSpec body = response.expectStatus().isBadRequest().expectHeader().contentType(PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED").jsonPath("$.detail").isNotEmpty();
        if (field != null) {
            body.jsonPath("$.errors[0].field").isEqualTo(field);
        }
    }

    private long storedEvents() {
        return jdbc.queryForObject("select count(*) from events.domain_event_entry", Long.class);
    }

    private record Probe(HttpMethod method, String path, Object body) {
    }
}
