package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency keys: a repeated request answers the first response and changes nothing; a reused key with another body is refused. */
class IdempotencyTest extends ApiTest {

    @Autowired JdbcTemplate jdbc;

    @Test
    void theSameRequestTwiceAnswersTheFirstResponseAndAssignsOnce() {
        String poolId = buyPool(5);
        String key = "assign-" + UUID.randomUUID();
        EntityExchangeResult<byte[]> first = assignWithKey(poolId, key, "olga@example.com").expectStatus().isCreated()
                .expectBody().returnResult();
        EntityExchangeResult<byte[]> second = assignWithKey(poolId, key, "olga@example.com").expectStatus().isCreated()
                .expectHeader().valueEquals(Idempotency.REPLAYED_HEADER, "true")
                .expectHeader().valueEquals("Location", first.getResponseHeaders().getFirst("Location"))
                .expectBody().returnResult();
        assertThat(new String(second.getResponseBody())).isEqualTo(new String(first.getResponseBody()));

        String invitationToken = new String(first.getResponseBody()).replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        assertThat(invitationToken).hasSize(86);
        assertThat(jdbc.queryForObject("select count(*) from api.idempotency_keys where key = ?", Long.class, key))
                .as("the table holds no caller's key in clear").isZero();
        assertThat(jdbc.queryForList("select body from api.idempotency_keys where body is not null", byte[].class))
                .as("nor any kept answer's secret").noneMatch(body -> new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).contains(invitationToken));
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(1);
    }

    /**
     * The client of a keyed bulk import goes away while its request runs (the connection is closed before any answer):
     * the request runs on and keeps its answer, so the retry is answered with it at once, and the seats are assigned
     * once. Before, the retry waited for the first attempt's lease (a minute), ran again and was told only that the
     * request had been applied (503).
     */
    @Test
    void aRequestWhoseClientWentAwayKeepsItsAnswerForTheRetry() throws Exception {
        int seats = 3_000;
        String poolId = buyPool(seats);
        String key = "import-" + UUID.randomUUID();
        String body = java.util.stream.IntStream.range(0, seats).mapToObj(i -> "{\"email\":\"gone-" + i + "@example.com\"}")
                .collect(java.util.stream.Collectors.joining("\n"));
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String path = "/api/v1/orgs/" + orgId + "/seat-pools/" + poolId + "/seats/bulk";
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + api.token(managerId, orgId, managerEmail)
                    + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            Thread.sleep(50);
        }
        long retried = System.nanoTime();
        EntityExchangeResult<byte[]> retry = manager.post().uri(path).contentType(MediaType.parseMediaType("application/x-ndjson"))
                .header(Idempotency.HEADER, key).bodyValue(body).exchange()
                .expectStatus().isOk().expectHeader().valueEquals(Idempotency.REPLAYED_HEADER, "true").expectBody().returnResult();
        assertThat((System.nanoTime() - retried) / 1e9).as("answered once the first attempt ended, not after its lease").isLessThan(30);
        assertThat(new String(retry.getResponseBody())).contains("gone-2999@example.com");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(seats);
    }

    @Test
    void aKeyReusedWithAnotherBodyIsRefused() {
        String poolId = buyPool(5);
        String key = "assign-" + UUID.randomUUID();
        assignWithKey(poolId, key, "pia@example.com").expectStatus().isCreated();
        assignWithKey(poolId, key, "quinn@example.com").expectStatus().isEqualTo(422)
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.code").isEqualTo("IDEMPOTENCY_KEY_REUSED");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.pending").isEqualTo(1);
    }

    @Test
    void businessRefusalsAreRememberedButBadRequestsAreNot() {
        String poolId = buyPool(1);
        assign(poolId, "rae@example.com");
        String key = "full-" + UUID.randomUUID();
        assignWithKey(poolId, key, "sam@example.com").expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("SEAT_CAPACITY_EXCEEDED");
        manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", 2, "effective", "now", "prorationBehavior", "none")).exchange().expectStatus().isOk();
        assignWithKey(poolId, key, "sam@example.com").expectStatus().isEqualTo(409)
                .expectHeader().valueEquals(Idempotency.REPLAYED_HEADER, "true");

        String badKey = "bad-" + UUID.randomUUID();
        assignWithKey(poolId, badKey, "not-an-address").expectStatus().isBadRequest();
        assertThat(jdbc.queryForObject("select count(*) from api.idempotency_keys where key = ?", Long.class, badKey)).isZero();
    }

    @Test
    void concurrentRepeatsOfOneRequestCreateOnePool() throws Exception {
        String key = "purchase-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("kind", "order", "seats", 7, "pricing", perSeat(100));
        ExecutorService clients = Executors.newFixedThreadPool(5);
        try {
            List<CompletableFuture<EntityExchangeResult<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId)
                        .header(Idempotency.HEADER, key).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                        .exchange().expectBody().returnResult(), clients));
            }
            List<String> bodies = new ArrayList<>();
            for (CompletableFuture<EntityExchangeResult<byte[]>> answer : answers) {
                EntityExchangeResult<byte[]> result = answer.get();
                assertThat(result.getStatus().value()).isEqualTo(201);
                bodies.add(new String(result.getResponseBody()));
            }
            assertThat(bodies).containsOnly(bodies.get(0));
        } finally {
            clients.shutdownNow();
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    void keysAreForgottenAfterTwentyFourHours() {
        String poolId = buyPool(5);
        String key = "daily-" + UUID.randomUUID();
        assignWithKey(poolId, key, "uma@example.com").expectStatus().isCreated();
        clock.shift(java.time.Duration.ofHours(25));
        assignWithKey(poolId, key, "vic@example.com").expectStatus().isCreated()
                .expectHeader().doesNotExist(Idempotency.REPLAYED_HEADER);
    }

    @Test
    void keysAreLimitedTo255Characters() {
        String poolId = buyPool(1);
        assignWithKey(poolId, "k".repeat(256), "tom@example.com").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED").jsonPath("$.errors[0].field").isEqualTo(Idempotency.HEADER);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec assignWithKey(String poolId, String key, String email) {
        return manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).header(Idempotency.HEADER, key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", email)).exchange();
    }
}
