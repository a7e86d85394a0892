package io.seatledger.api.erasure;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.DatabaseOwner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An erasure removes an address from every read model, ends what it entitled, keeps the audit chain valid, and is
 * limited to its organization, its billing manager and admins.
 */
class ErasureHttpTest extends ApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> STREAMED = new ParameterizedTypeReference<>() {
    };

    @Autowired DatabaseOwner owner;
    /** The service's own connection: the runtime role. */
    @Autowired org.springframework.jdbc.core.JdbcTemplate runtime;
    @Autowired SubjectDigests digests;
    @Autowired Erasures erasures;
    @Autowired org.springframework.data.redis.core.StringRedisTemplate redis;
    @Autowired io.seatledger.projections.rebuild.ShadowRebuild rebuilds;

    @Test
    @SuppressWarnings("unchecked")
    void anErasedAddressIsGoneFromTheReadModelsAndEntitlesNobody() {
        String poolId = buyPool(3);
        Map<String, Object> erin = assign(poolId, "Erin.Shred@Example.com");
        String token = (String) ((Map<String, Object>) erin.get("invitation")).get("token");
        api.as("erin", "elsewhere", "erin.shred@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange().expectStatus().isOk();
        String secondPool = buyPool(1);
        Map<String, Object> invited = assign(secondPool, "erin.shred@EXAMPLE.com");
        Map<String, Object> kept = assign(poolId, "kept@example.com");
        manager.get().uri("/api/v1/orgs/{org}/entitlements/erin", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.entitled").isEqualTo(true);

        Map<String, Object> erasure = erase(manager, "  ERIN.SHRED@example.COM ").expectStatus().isAccepted()
                .expectHeader().value("Location", location -> assertThat(location).startsWith("/api/v1/orgs/" + orgId + "/erasures/"))
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(erasure).containsEntry("status", "done").containsKeys("erasureId", "requestedAt").doesNotContainValue(null);
        manager.get().uri("/api/v1/orgs/{org}/erasures/{id}", orgId, erasure.get("erasureId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("done").jsonPath("$.completedAt").isNotEmpty();

        manager.get().uri("/api/v1/orgs/{org}/entitlements/erin", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.entitled").isEqualTo(false);
        for (Map<String, Object> seat : List.of(erin, invited)) {
            manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, seat.get("poolId"), seat.get("seatId")).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.email").isEqualTo(io.seatledger.projections.ErasedAddresses.ERASED).jsonPath("$.status").isEqualTo("revoked");
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, kept.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo("kept@example.com").jsonPath("$.status").isEqualTo("pending");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')].metadata.reason").isEqualTo(List.of(Erasures.REASON));
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, secondPool).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')].metadata.reason").isEqualTo(List.of(Erasures.REASON));
        api.anonymous().get().uri("/api/v1/invitations/{token}", ((Map<String, Object>) invited.get("invitation")).get("token")).exchange()
                .expectStatus().isNotFound();

        assertThat(rowsMentioning("read_model", "erin.shred@example.com")).isEmpty();
        assertThat(rowsMentioning("vault", "erin.shred")).as("the vault names subjects by digest only").isEmpty();
        assertThat(rowsMentioning("read_model", "kept@example.com")).as("the read models keep addresses sealed, shown opened").isEmpty();
        assertThat(rowsMentioning("read_model", "pd1:")).isNotEmpty();
        assertThat(redisMentioning(orgId)).as("the scan sees the organization's counters").isNotEmpty();
        assertThat(redisMentioning("erin.shred")).isEmpty();
        manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true);
        assertShownErasedInHistoryWhileTheAuditTrailStillVerifiesOffline(poolId, "erin.shred@example.com");

        List<ServerSentEvent<Map<String, Object>>> streamed = manager.get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM)
                .header("Last-Event-ID", "s0").exchange().expectStatus().isOk().returnResult(STREAMED).getResponseBody()
                .filter(message -> message.event() != null).takeUntil(message -> "seat.revoked".equals(message.event()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(streamed).extracting(ServerSentEvent::event).contains("seat.assigned", "seat.claimed", "seat.revoked");
        assertThat(streamed).allSatisfy(message -> assertThat(String.valueOf(message.data())).doesNotContainIgnoringCase("erin.shred"));
    }

    @Test
    void aRebuildOfTheReadModelsShowsTheErasedAddressErased() {
        String poolId = buyPool(2);
        Map<String, Object> seat = assign(poolId, "rebuilt@example.com");
        assign(poolId, "stays@example.com");
        erase(manager, "rebuilt@example.com").expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("done");
        List<String> before = owner.jdbc().queryForList("select row_to_json(s)::text from read_model.seats s where org_id = ? order by seat_id", String.class, orgId);

        String headBefore = manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("headHash").toString();
        for (String projection : List.of("seat-pools", "organizations", "audit-trail")) {
            rebuilds.start(projection);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> rebuilds.progress(projection)
                    .map(progress -> progress.phase() == io.seatledger.projections.rebuild.RebuildProgress.Phase.DONE).orElse(false));
        }

        assertThat(owner.jdbc().queryForList("select row_to_json(s)::text from read_model.seats s where org_id = ? order by seat_id", String.class, orgId))
                .as("the rebuilt seats are the live ones").isEqualTo(before);
        assertThat(rowsMentioning("read_model", "rebuilt@example.com")).isEmpty();
        manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.valid").isEqualTo(true).jsonPath("$.headHash").isEqualTo(headBefore);
        assertThat(io.seatledger.api.support.AuditExports.verify(body(manager.get().uri("/api/v1/orgs/{org}/audit", orgId)
                .accept(MediaType.parseMediaType("application/x-ndjson")))).valid()).as("the rebuilt trail verifies offline").isTrue();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seat.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(io.seatledger.projections.ErasedAddresses.ERASED);
    }

    @Test
    void theBillingManagersOwnAddressCanBeErased() {
        erase(api.as("an-admin", "admins", "an-admin@example.com", "admin"), managerEmail).expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("done");
        manager.get().uri("/api/v1/orgs/{org}", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.billingManager.email").isEqualTo(io.seatledger.projections.ErasedAddresses.ERASED)
                .jsonPath("$.billingManager.userId").isEqualTo(managerId);
        assertThat(rowsMentioning("read_model", managerEmail)).isEmpty();
    }

    /**
     * History shows the address as erased. The audit trail keeps what the events stored, the sealed address (each hash
     * covers it): its NDJSON export still verifies offline, every hash recomputed, and names no address in clear.
     */
    private void assertShownErasedInHistoryWhileTheAuditTrailStillVerifiesOffline(String poolId, String address) {
        String history = manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(history).containsIgnoringCase("kept@example.com").doesNotContainIgnoringCase(address).contains(io.seatledger.projections.ErasedAddresses.ERASED);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(body(manager.get().uri("/api/v1/orgs/{org}/audit", orgId))).contains("SeatRevoked"));
        String export = body(manager.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(MediaType.parseMediaType("application/x-ndjson")));
        io.seatledger.auditformat.ChainVerifier.Verdict offline = io.seatledger.api.support.AuditExports.verify(export);
        assertThat(offline.valid()).as("the export verifies offline after the erasure: %s", offline.fault()).isTrue();
        assertThat(offline.entries()).isEqualTo(export.lines().filter(line -> !line.isBlank()).count());
        assertThat(export).doesNotContainIgnoringCase(address).doesNotContainIgnoringCase("kept@example.com").contains("pd1:");
    }

    private static String body(WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRepeatedErasureAnswersTheFirstAndChangesNothingMore() {
        String poolId = buyPool(2);
        assign(poolId, "twice@example.com");
        Map<String, Object> first = erase(manager, "twice@example.com").expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> again = erase(manager, "Twice@Example.com").expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again).isEqualTo(first);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')]").value(revoked -> assertThat((List<?>) revoked).hasSize(1));
        assertThat(owner.jdbc().queryForObject("select count(*) from vault.erasures where org_id = ?", Long.class, orgId)).isEqualTo(1L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrentErasuresOfOneAddressBesideAssignmentsMakeOneErasureAndRevokeOnce() throws Exception {
        String poolId = buyPool(20);
        Map<String, Object> seat = assign(poolId, "racer@example.com");
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Map<String, Object>>> erasures = new java.util.ArrayList<>();
            List<java.util.concurrent.Future<?>> assignments = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String variant = i % 2 == 0 ? "racer@example.com" : "RACER@Example.COM";
                erasures.add(clients.submit(() -> erase(manager, variant).expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody()));
                int n = i;
                assignments.add(clients.submit(() -> manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "bystander-" + n + "@example.com")).exchange().expectStatus().isCreated()));
            }
            for (java.util.concurrent.Future<?> assignment : assignments) {
                assignment.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            java.util.Set<Object> ids = new java.util.HashSet<>();
            for (java.util.concurrent.Future<Map<String, Object>> erasure : erasures) {
                ids.add(erasure.get(60, java.util.concurrent.TimeUnit.SECONDS).get("erasureId"));
            }
            assertThat(ids).hasSize(1);
        } finally {
            clients.shutdownNow();
        }
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history?limit=100", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')].payload.seatId").isEqualTo(List.of(seat.get("seatId")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                manager.get().uri("/api/v1/orgs/{org}/usage", orgId).exchange().expectStatus().isOk().expectBody().jsonPath("$.pending").isEqualTo(6));
        assertThat(rowsMentioning("read_model", "racer@example.com")).isEmpty();
        assertThat(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats?limit=100", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody().split("bystander-", -1)).hasSize(7);
        assertThat(owner.jdbc().queryForObject("select count(*) from vault.erasures where org_id = ?", Long.class, orgId)).isEqualTo(1L);
        assertThat(owner.jdbc().queryForObject("select count(*) from vault.org_keys where org_id = ?", Long.class, orgId)).isEqualTo(1L);
    }

    @Test
    void anErasureLeftPendingIsFinishedByDigestAlone() {
        String poolId = buyPool(2);
        Map<String, Object> seat = assign(poolId, "Left.Pending@example.com");
        String digest = digests.of(orgId, "left.pending@EXAMPLE.com");
        // as a request leaves it when its instance stops after recording it: no address anywhere in the record
        owner.jdbc().update("""
                insert into vault.erasures (erasure_id, org_id, subject_digest, requested_by, requester_roles, requested_at)
                values ('left-pending', ?, ?, ?, '', ?)""", orgId, digest, managerId, java.sql.Timestamp.from(clock.instant().minus(Duration.ofMinutes(2))));
        manager.get().uri("/api/v1/orgs/{org}/erasures/left-pending", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("pending").jsonPath("$.completedAt").isEmpty();

        assertThat(erasures.finishPending(PendingErasures.GRACE, 100)).isGreaterThanOrEqualTo(1);

        manager.get().uri("/api/v1/orgs/{org}/erasures/left-pending", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("done");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seat.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(io.seatledger.projections.ErasedAddresses.ERASED).jsonPath("$.status").isEqualTo("revoked");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')].metadata.actor.userId").isEqualTo(List.of(managerId));
        assertThat(rowsMentioning("read_model", "left.pending")).isEmpty();
    }

    @Test
    void theServiceCannotDeleteAnErasureRecordOrReplaceAnOrganizationsKey() {
        erase(manager, "recorded@example.com").expectStatus().isAccepted();
        for (String statement : List.of("delete from vault.erasures", "delete from vault.subject_keys", "delete from vault.org_keys",
                "update vault.org_keys set wrapped_key = 'x'", "truncate vault.erasures", "drop table vault.erasures")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> runtime.execute(statement)).as(statement)
                    .isInstanceOf(org.springframework.dao.DataAccessException.class)
                    .satisfies(failure -> assertThat(((java.sql.SQLException) failure.getCause()).getSQLState()).isEqualTo("42501"));
        }
        assertThat(owner.jdbc().queryForObject("select count(*) from vault.erasures where org_id = ?", Long.class, orgId)).isEqualTo(1L);
    }

    @Test
    void anotherTenantsAddressesAndKeysAreUntouched() {
        String poolId = buyPool(2);
        Map<String, Object> mine = assign(poolId, "shared@example.com");
        String otherOrg = Api.newOrgId();
        WebTestClient otherManager = api.as("other-manager", otherOrg, "other-manager@example.com");
        otherManager.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other")).exchange().expectStatus().isCreated();
        // read at the answer's position, as ApiTest does for its own organization: the erasure asks the read model who manages it
        otherManager.get().uri("/api/v1/orgs/{org}", otherOrg).exchange().expectStatus().isOk();

        erase(otherManager, otherOrg, "shared@example.com").expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("done");
        Api.problem(otherManager.post().uri("/api/v1/orgs/{org}/erasures", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "shared@example.com")).exchange(), 404, "NOT_FOUND");

        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, mine.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo("shared@example.com").jsonPath("$.status").isEqualTo("pending");
        String myErasure = erase(manager, "shared@example.com").expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody()
                .get("erasureId").toString();
        Api.problem(otherManager.get().uri("/api/v1/orgs/{org}/erasures/{id}", otherOrg, myErasure).exchange(), 404, "NOT_FOUND");
        List<String> digests = owner.jdbc().queryForList("select subject_digest from vault.erasures where org_id in (?, ?)", String.class, orgId, otherOrg);
        assertThat(digests).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void hostileOrUnauthorizedRequestsAreRefusedAndEraseNothing() {
        String poolId = buyPool(2);
        Map<String, Object> seat = assign(poolId, "safe@example.com");
        for (String bad : List.of("", "not-an-address", "safe@example.com\u0000", "safe\u001b[31m@example.com", "x".repeat(300) + "@example.com")) {
            Api.problem(erase(manager, bad), 400, "VALIDATION_FAILED");
        }
        for (Object body : List.<Object>of(Map.of(), "{\"email\": ", "[\"safe@example.com\"]", Map.of("email", List.of("safe@example.com")),
                Map.of("email", Map.of("address", "safe@example.com")))) {
            Api.problem(manager.post().uri("/api/v1/orgs/{org}/erasures", orgId).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(),
                    400, "VALIDATION_FAILED");
        }
        Api.problem(erase(api.as("a-member", orgId, "a-member@example.com"), "safe@example.com"), 403, "FORBIDDEN");
        Api.problem(erase(api.as("an-auditor", orgId, "an-auditor@example.com", "auditor"), "safe@example.com"), 403, "FORBIDDEN");
        Api.problem(manager.get().uri("/api/v1/orgs/{org}/erasures/{id}", orgId, "no-such-erasure").exchange(), 404, "NOT_FOUND");

        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seat.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo("safe@example.com").jsonPath("$.status").isEqualTo("pending");
        assertThat(owner.jdbc().queryForObject("select count(*) from vault.erasures where org_id = ?", Long.class, orgId)).isZero();

        erase(api.as("an-admin", "admins", "an-admin@example.com", "admin"), "safe@example.com").expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("done");
    }

    private WebTestClient.ResponseSpec erase(WebTestClient client, String email) {
        return erase(client, orgId, email);
    }

    private static WebTestClient.ResponseSpec erase(WebTestClient client, String org, String email) {
        return client.post().uri("/api/v1/orgs/{org}/erasures", org).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", email)).exchange();
    }

    /** Every Redis key whose name or value (whatever its type) contains {@code text}, ignoring case. */
    private List<String> redisMentioning(String text) {
        List<String> found = new java.util.ArrayList<>();
        try (org.springframework.data.redis.core.Cursor<String> keys = redis.scan(org.springframework.data.redis.core.ScanOptions.scanOptions().count(1000).build())) {
            while (keys.hasNext()) {
                String key = keys.next();
                Object content = switch (redis.type(key)) {
                    case STRING -> redis.opsForValue().get(key);
                    case HASH -> redis.opsForHash().entries(key);
                    case SET -> redis.opsForSet().members(key);
                    case ZSET -> redis.opsForZSet().range(key, 0, -1);
                    case LIST -> redis.opsForList().range(key, 0, -1);
                    case STREAM -> redis.opsForStream().range(key, org.springframework.data.domain.Range.unbounded());
                    default -> "";
                };
                if ((key + " " + content).toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT))) {
                    found.add(key);
                }
            }
        }
        return found;
    }

    /** Every row of every table of {@code schema} whose text (all columns, as JSON) contains {@code text}, ignoring case. */
    private List<String> rowsMentioning(String schema, String text) {
        List<String> tables = owner.jdbc().queryForList("select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE'",
                String.class, schema);
        assertThat(tables).isNotEmpty();
        return tables.stream().flatMap(table -> owner.jdbc().queryForList(
                "select row_to_json(t)::text from " + schema + ".\"" + table + "\" t where row_to_json(t)::text ilike ?", String.class, "%" + text + "%").stream())
                .toList();
    }
}
