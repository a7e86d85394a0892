package io.seatledger.api.erasure;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.AuditExports;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.projections.ErasedAddresses;
import io.seatledger.projections.rebuild.RebuildProgress;
import io.seatledger.projections.rebuild.ShadowRebuild;
import org.awaitility.Awaitility;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crypto-shredding: new events hold addresses sealed under the subject's key, so an erasure (which destroys the key)
 * leaves the address nowhere in the databases, Redis or the stream, while the audit chain, its offline verification
 * and rebuilds are unchanged. Events stored in clear before sealing still load, project and are masked.
 */
class CryptoShreddingHttpTest extends ApiTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> STREAMED = new ParameterizedTypeReference<>() {
    };
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    @Autowired DatabaseOwner owner;
    @Autowired StringRedisTemplate redis;
    @Autowired ShadowRebuild rebuilds;
    @Autowired CommandGateway commands;
    @Autowired SubjectDigests digests;
    @Autowired SubjectKeys keys;
    @Autowired Sealing sealing;
    @Autowired KeyEncryptionKey kek;
    @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;
    @Autowired org.springframework.transaction.PlatformTransactionManager transactions;

    @Test
    @SuppressWarnings("unchecked")
    void afterAnErasureTheAddressIsNowhereAndTheChainStillVerifiesAndRebuildsIdentically() {
        String address = "Shred.Me." + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";
        String lower = address.toLowerCase(Locale.ROOT);
        String poolId = buyPool(5);
        String otherPool = buyPool(5);
        Map<String, Object> seat = assign(poolId, address);
        String token = (String) ((Map<String, Object>) seat.get("invitation")).get("token");
        api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(address);
        api.as("shred-holder", "elsewhere", lower).post().uri("/api/v1/invitations/{token}/claim", token).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(address).jsonPath("$.status").isEqualTo("claimed");
        Map<String, Object> moved = assign(otherPool, "to-be-moved@example.com");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}/transfer", orgId, otherPool, moved.get("seatId"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", address.toUpperCase(Locale.ROOT))).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(address.toUpperCase(Locale.ROOT));
        String thirdPool = buyPool(3);
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, thirdPool).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", List.of(Map.of("email", "bulk-kept@example.com"), Map.of("email", lower)))).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.assigned[*].email").isEqualTo(List.of("bulk-kept@example.com", lower));
        api.as("an-admin", "admins", "an-admin@example.com", "admin").put().uri("/api/v1/orgs/{org}/billing-manager", orgId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("userId", managerId, "email", address)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.billingManager.email").isEqualTo(address);
        manager.get().uri("/api/v1/orgs/{org}/entitlements/shred-holder", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.entitled").isEqualTo(true);
        awaitAuditMentions("BillingManagerChanged");
        assertThat(databaseMentioning(lower)).as("before any erasure, no new event, audit entry or read model holds the address in clear").isEmpty();
        assertThat(databaseMentioning("bulk-kept@example.com")).isEmpty();
        assertThat(eventPayloadsMentioning("pd1:" + digests.of(orgId, address))).as("the events hold the sealed address").hasSizeGreaterThanOrEqualTo(4);

        manager.post().uri("/api/v1/orgs/{org}/erasures", orgId).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", address))
                .exchange().expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("done");

        manager.get().uri("/api/v1/orgs/{org}/entitlements/shred-holder", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.entitled").isEqualTo(false);
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seat.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(ErasedAddresses.ERASED).jsonPath("$.status").isEqualTo("revoked");
        manager.get().uri("/api/v1/orgs/{org}", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.billingManager.email").isEqualTo(ErasedAddresses.ERASED);
        for (String pool : List.of(poolId, otherPool, thirdPool)) {
            String seats = body(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, pool));
            String history = body(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history?limit=100", orgId, pool));
            for (String shown : List.of(seats, history)) {
                assertThat(shown).doesNotContainIgnoringCase(lower).contains(ErasedAddresses.ERASED);
            }
        }
        assertThat(body(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, thirdPool))).contains("bulk-kept@example.com");
        assertThat(body(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history?limit=100", orgId, otherPool))).contains("to-be-moved@example.com");
        api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange().expectStatus().isNotFound();

        String audit = body(manager.get().uri("/api/v1/orgs/{org}/audit?limit=500", orgId));
        String export = body(manager.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(NDJSON));
        assertThat(audit + export).doesNotContainIgnoringCase(lower).contains("pd1:");
        assertThat(AuditExports.verify(export).valid()).as("the export verifies offline after the erasure").isTrue();
        String head = manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("headHash").toString();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(databaseMentioning(lower)).isEmpty());
        assertThat(redisMentioning(lower)).isEmpty();
        assertThat(redisMentioning("shred.me")).isEmpty();
        List<ServerSentEvent<Map<String, Object>>> streamed = manager.get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM)
                .header("Last-Event-ID", "s0").exchange().expectStatus().isOk().returnResult(STREAMED).getResponseBody()
                .filter(message -> message.event() != null).takeUntil(message -> "seat.revoked".equals(message.event()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(streamed).extracting(ServerSentEvent::event).contains("seat.assigned", "seat.revoked");
        assertThat(streamed).allSatisfy(message -> assertThat(String.valueOf(message.data())).doesNotContainIgnoringCase("shred.me"));

        List<String> seatsBefore = owner.jdbc().queryForList("select row_to_json(s)::text from read_model.seats s where org_id = ? order by seat_id",
                String.class, orgId);
        List<String> entriesBefore = auditEntries();
        for (String projection : List.of("seat-pools", "organizations", "audit-trail")) {
            rebuilds.start(projection);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> rebuilds.progress(projection)
                    .map(progress -> progress.phase() == RebuildProgress.Phase.DONE).orElse(false));
        }
        assertThat(owner.jdbc().queryForList("select row_to_json(s)::text from read_model.seats s where org_id = ? order by seat_id", String.class, orgId))
                .as("the rebuilt seats are the live ones, sealed addresses included, without any scrub").isEqualTo(seatsBefore);
        assertThat(auditEntries()).as("the rebuilt trail is the live one, entry by entry").isEqualTo(entriesBefore);
        manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.valid").isEqualTo(true).jsonPath("$.headHash").isEqualTo(head);
        assertThat(databaseMentioning(lower)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEventStoredInClearBeforeSealingStillLoadsProjectsIsClaimedAndIsMaskedAfterErasure() {
        String poolId = buyPool(3);
        String legacySeat = UUID.randomUUID().toString();
        // today's format, as every event stored before sealing: the address in clear (the pool still accepts it)
        Map<String, ?> metadata = new AuditMetadata(managerId, Set.of(), "legacy-" + legacySeat, "", orgId).asMap();
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new AssignSeat(poolId, orgId, legacySeat, "Legacy.Clear@Example.com", false, null, Map.of()))
                .andMetaData(metadata));
        assertThat(eventPayloadsMentioning("Legacy.Clear@Example.com")).hasSize(1);
        Map<String, Object> sealedSeat = assign(poolId, "sealed.neighbour@example.com");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, legacySeat).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.email").isEqualTo("Legacy.Clear@Example.com").jsonPath("$.status").isEqualTo("pending"));
        assertThat(body(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId)))
                .contains("Legacy.Clear@Example.com", "sealed.neighbour@example.com");

        manager.post().uri("/api/v1/orgs/{org}/erasures", orgId).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "legacy.clear@example.com"))
                .exchange().expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("done");

        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, legacySeat).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(ErasedAddresses.ERASED).jsonPath("$.status").isEqualTo("revoked");
        assertThat(body(manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId)))
                .doesNotContainIgnoringCase("legacy.clear@example.com").contains(ErasedAddresses.ERASED, "sealed.neighbour@example.com");
        assertThat(readModelsMentioning("legacy.clear@example.com")).isEmpty();
        manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true);
        assertThat(AuditExports.verify(body(manager.get().uri("/api/v1/orgs/{org}/audit", orgId).accept(NDJSON))).valid()).isTrue();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, sealedSeat.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo("sealed.neighbour@example.com").jsonPath("$.status").isEqualTo("pending");
    }

    @Test
    void anAddressHoldingASeatStoredInClearIsNotGivenASealedSecondOne() {
        String poolId = buyPool(5);
        String legacySeat = UUID.randomUUID().toString();
        Map<String, ?> metadata = new AuditMetadata(managerId, Set.of(), "legacy-" + legacySeat, "", orgId).asMap();
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new AssignSeat(poolId, orgId, legacySeat, "Twice.Stored@example.com", false, null, Map.of()))
                .andMetaData(metadata));
        Map<String, Object> other = assign(poolId, "someone.new@example.com");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, legacySeat).exchange().expectStatus().isOk());
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "twice.STORED@example.com")).exchange(), 409, "SEAT_ALREADY_ASSIGNED");
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atomic", false, "seats", List.of(Map.of("email", "fine.row@example.com"), Map.of("email", "Twice.Stored@Example.com"))))
                .exchange(), 409, "SEAT_ALREADY_ASSIGNED");
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}/transfer", orgId, poolId, other.get("seatId"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "twice.stored@example.com")).exchange(), 409, "SEAT_ALREADY_ASSIGNED");
        // once the seat stored in clear ends, the address gets a sealed one
        manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, legacySeat).exchange().expectStatus().isOk();
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, legacySeat).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("revoked");
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "twice.stored@example.com")).exchange().expectStatus().isCreated();
        assertThat(eventPayloadsMentioning("twice.stored@example.com")).as("only the event from before sealing holds it in clear").hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLegacyInvitationIsClaimedByTheAddressItWasSentTo() {
        String poolId = buyPool(2);
        String legacySeat = UUID.randomUUID().toString();
        Map<String, ?> metadata = new AuditMetadata(managerId, Set.of(), "legacy-" + legacySeat, "", orgId).asMap();
        Object answer = commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                new AssignSeat(poolId, orgId, legacySeat, "old.invite@example.com", false, null, Map.of())).andMetaData(metadata));
        String token = ((io.seatledger.messages.seatpool.SeatAssignment) answer).invitation().token();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                api.anonymous().get().uri("/api/v1/invitations/{token}", token).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.email").isEqualTo("old.invite@example.com"));
        Api.problem(api.as("someone-else", "elsewhere", "someone.else@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange(),
                403, "EMAIL_MISMATCH");
        api.as("old-invitee", "elsewhere", "OLD.invite@example.com").post().uri("/api/v1/invitations/{token}/claim", token).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("claimed").jsonPath("$.email").isEqualTo("old.invite@example.com");
    }

    @Test
    void anErasedAddressCannotBeGivenASeatOrTheBillingRoleAgain() {
        String poolId = buyPool(5);
        Map<String, Object> kept = assign(poolId, "kept.after@example.com");
        manager.post().uri("/api/v1/orgs/{org}/erasures", orgId).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "gone@example.com"))
                .exchange().expectStatus().isAccepted();
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "GONE@example.com")).exchange(), 409, "SUBJECT_ERASED");
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", List.of(Map.of("email", "fine@example.com"), Map.of("email", "gone@example.com")))).exchange(), 409, "SUBJECT_ERASED");
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}/transfer", orgId, poolId, kept.get("seatId"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "gone@example.com")).exchange(), 409, "SUBJECT_ERASED");
        Api.problem(manager.put().uri("/api/v1/orgs/{org}/billing-manager", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("userId", "someone", "email", "gone@example.com")).exchange(), 409, "SUBJECT_ERASED");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSealedAddressCopiedFromTheTrailIsNoAddressToGiveASeatTo() {
        String poolId = buyPool(5);
        assign(poolId, "copied@example.com");
        String sealed = owner.jdbc().queryForObject("select email from read_model.seats where org_id = ? and pool_id = ?", String.class, orgId, poolId);
        assertThat(PersonalData.isSealed(sealed)).isTrue();
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", sealed)).exchange(), 400, "VALIDATION_FAILED");
        Map<String, Object> bulk = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atomic", false, "seats", List.of(Map.of("email", sealed), Map.of("email", sealed.substring(0, 68)),
                        Map.of("email", "fresh@example.com")))).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) bulk.get("rejected")).extracting(row -> row.get("index") + ":" + row.get("code"))
                .containsExactly("0:VALIDATION_FAILED", "1:VALIDATION_FAILED");
        assertThat((List<Map<String, Object>>) bulk.get("assigned")).extracting(row -> row.get("email")).containsExactly("fresh@example.com");
    }

    /**
     * The same address assigned in two pools at once, again and again, while it is erased: whatever the interleaving,
     * no seat of it stays pending or claimed, each assignment either was refused as erased or its seat is revoked.
     */
    @Test
    void assignmentsRacingAnErasureInTwoPoolsLeaveTheSubjectNoSeat() throws Exception {
        String poolA = buyPool(50);
        String poolB = buyPool(50);
        String address = "racing.subject@example.com";
        assign(poolA, address);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                for (String pool : List.of(poolA, poolB)) {
                    running.add(clients.submit((Callable<Void>) () -> {
                        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, pool).contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("email", address)).exchange().expectBody(String.class)
                                .consumeWith(result -> statuses.add(result.getStatus().value()));
                        return null;
                    }));
                }
                if (i == 3) {
                    running.add(clients.submit((Callable<Void>) () -> {
                        manager.post().uri("/api/v1/orgs/{org}/erasures", orgId).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", address))
                                .exchange().expectStatus().isAccepted();
                        return null;
                    }));
                }
            }
            for (Future<?> future : running) {
                future.get(90, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(statuses).as("each assignment is created, refused as a duplicate, or refused as erased").allMatch(status -> Set.of(201, 409).contains(status));
        assertThat(statuses).contains(409);
        String digest = digests.of(orgId, address);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(owner.jdbc().queryForObject("""
                select count(*) from read_model.seats where org_id = ? and email like ? and status in ('PENDING', 'CLAIMED')""",
                Long.class, orgId, PersonalData.PREFIX + digest + ":%")).as("no occupied seat of the erased subject").isZero());
        assertThat(owner.jdbc().queryForObject("select count(*) from read_model.seats where org_id = ? and email like ?", Long.class, orgId,
                PersonalData.PREFIX + digest + ":%")).isGreaterThanOrEqualTo(1L);
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolB).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", address)).exchange(), 409, "SUBJECT_ERASED");
        manager.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true);
    }

    @Test
    void anotherTenantsSameAddressKeepsItsKeyAndItsSeat() {
        String otherOrg = Api.newOrgId();
        WebTestClient otherManager = api.as("other-manager-" + otherOrg, otherOrg, "other-manager@example.com");
        otherManager.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other")).exchange().expectStatus().isCreated();
        otherManager.get().uri("/api/v1/orgs/{org}", otherOrg).exchange().expectStatus().isOk();
        @SuppressWarnings("unchecked")
        Map<String, Object> otherPool = otherManager.post().uri("/api/v1/orgs/{org}/seat-pools", otherOrg).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", 2, "interval", "month", "pricing", perSeat(1500)))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        Map<String, Object> theirs = otherManager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", otherOrg, otherPool.get("poolId"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "both.tenants@example.com")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String poolId = buyPool(2);
        assign(poolId, "both.tenants@example.com");
        assertThat(digests.of(orgId, "both.tenants@example.com")).isNotEqualTo(digests.of(otherOrg, "both.tenants@example.com"));

        manager.post().uri("/api/v1/orgs/{org}/erasures", orgId).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "both.tenants@example.com"))
                .exchange().expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("done");

        otherManager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", otherOrg, otherPool.get("poolId"), theirs.get("seatId"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.email").isEqualTo("both.tenants@example.com").jsonPath("$.status").isEqualTo("pending");
        assertThat(owner.jdbc().queryForObject("select count(*) from vault.subject_keys where org_id = ? and wrapped_key is not null and subject_digest = ?",
                Long.class, otherOrg, digests.of(otherOrg, "both.tenants@example.com"))).isEqualTo(1L);
        otherManager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", otherOrg, otherPool.get("poolId")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "other.still.fine@example.com")).exchange().expectStatus().isCreated();
    }

    @Test
    void aSealedAddressOpensOnlyInItsOrganizationUnalteredAndWhileItsKeyLasts() {
        String sealed = keys.seal(orgId, "Opened@Example.com");
        assertThat(sealed).startsWith(PersonalData.PREFIX + digests.of(orgId, "opened@example.com") + ":").doesNotContainIgnoringCase("opened");
        assertThat(keys.seal(orgId, "opened@example.com")).as("a fresh IV each time").isNotEqualTo(sealed);
        assertThat(keys.reveal(orgId, sealed)).isEqualTo("Opened@Example.com");
        assertThat(keys.reveal(Api.newOrgId(), sealed)).as("moved to another tenant").isEqualTo(ErasedAddresses.ERASED);
        int at = sealed.length() - 10;
        String altered = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
        assertThat(keys.reveal(orgId, altered)).as("altered").isEqualTo(ErasedAddresses.ERASED);
        assertThat(keys.reveal(orgId, "legacy@example.com")).as("stored in clear: as it is").isEqualTo("legacy@example.com");

        owner.jdbc().update("update vault.subject_keys set wrapped_key = null, erased_at = now() where org_id = ? and subject_digest = ?",
                orgId, digests.of(orgId, "opened@example.com"));
        keys.forget(orgId, digests.of(orgId, "opened@example.com"));
        assertThat(keys.reveal(orgId, sealed)).isEqualTo(ErasedAddresses.ERASED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.seal(orgId, "opened@example.com"))
                .isInstanceOfSatisfying(io.seatledger.messages.common.SeatLedgerException.class,
                        refused -> assertThat(refused.code()).isEqualTo(io.seatledger.messages.common.ErrorCode.SUBJECT_ERASED));
    }

    /**
     * Two instances (each with its own memory of keys) sealing the same new addresses at once: each makes a key, one
     * statement stores one of them, and every address either sealed opens on both instances: no instance keeps a key
     * the vault did not store.
     */
    @Test
    void twoInstancesSealingTheSameNewAddressesAtOnceAgreeOnOneKey() throws Exception {
        SubjectKeys otherInstance = new SubjectKeys(digests, jdbc, kek, transactions);
        List<String> addresses = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "both.instances." + i + "@example.com").toList();
        ExecutorService instances = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                List<String> batch = addresses.subList(round * 40, round * 40 + 40);
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                Future<List<String>> here = instances.submit(() -> {
                    together.await();
                    return keys.sealAll(orgId, batch);
                });
                Future<List<String>> there = instances.submit(() -> {
                    together.await();
                    return otherInstance.sealAll(orgId, batch);
                });
                List<String> sealedHere = here.get(30, TimeUnit.SECONDS);
                List<String> sealedThere = there.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < batch.size(); i++) {
                    for (SubjectKeys instance : List.of(keys, otherInstance)) {
                        assertThat(instance.reveal(orgId, sealedHere.get(i))).isEqualTo(batch.get(i));
                        assertThat(instance.reveal(orgId, sealedThere.get(i))).isEqualTo(batch.get(i));
                    }
                }
            }
        } finally {
            instances.shutdownNow();
        }
        assertThat(owner.jdbc().queryForObject("select count(*) from vault.subject_keys where org_id = ? and subject_digest = any(?)", Long.class,
                orgId, addresses.stream().map(address -> digests.of(orgId, address)).toArray(String[]::new))).isEqualTo(200L);
    }

    /**
     * The interleaving the race test may or may not hit: the erasure destroyed the key after the address was sealed and
     * looked for the subject's seats before the seat was stored. The check after the command revokes the seat.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aSeatStoredAfterItsSubjectsKeyWasDestroyedIsRevokedByTheAssignmentItself() {
        String poolId = buyPool(3);
        Map<String, Object> seat = assign(poolId, "late.seat@example.com");
        owner.jdbc().update("update vault.subject_keys set wrapped_key = null, erased_at = now() where org_id = ? and subject_digest = ?",
                orgId, digests.of(orgId, "late.seat@example.com"));
        keys.forget(orgId, digests.of(orgId, "late.seat@example.com"));
        String stored = owner.jdbc().queryForObject("select email from read_model.seats where org_id = ? and seat_id = ?", String.class, orgId, seat.get("seatId"));
        io.seatledger.messages.seatpool.SeatState state = new io.seatledger.messages.seatpool.SeatState((String) seat.get("seatId"), poolId, orgId,
                io.seatledger.messages.seatpool.SeatStatus.PENDING, stored, null, null, null, null, null, Map.of());
        Set<String> erased = sealing.revokeIfErasedMeanwhile(orgId, List.of(state), new AuditMetadata(managerId, Set.of(), "race-check", "", orgId))
                .block(Duration.ofSeconds(30));
        assertThat(erased).containsExactly(digests.of(orgId, "late.seat@example.com"));
        // the answer shows the erased subject as erased, an address sent beside it as it was sent
        assertThat(sealing.shownAsSent(orgId, List.of("late.seat@example.com"), List.of(stored), erased, List.of(stored)).block().apply(stored))
                .isEqualTo(ErasedAddresses.ERASED);
        assertThat(sealing.shownAsSent(orgId, List.of("Late.Seat@Example.COM"), List.of(stored), Set.of(), List.of(stored)).block().apply(stored))
                .isEqualTo(io.seatledger.messages.common.Emails.canonical("Late.Seat@Example.COM"));
        String other = keys.seal(orgId, "other.seat@example.com");
        assertThat(sealing.shownAsSent(orgId, List.of("late.seat@example.com"), List.of(stored), Set.of(), List.of(other)).block().apply(other))
                .as("an address the request did not seal is opened").isEqualTo("other.seat@example.com");
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')].metadata.reason").isEqualTo(List.of(Erasures.REASON));
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seat.get("seatId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("revoked").jsonPath("$.email").isEqualTo(ErasedAddresses.ERASED);
        // a second check (another instance, a retry) changes nothing
        sealing.revokeIfErasedMeanwhile(orgId, List.of(state), new AuditMetadata(managerId, Set.of(), "race-check", "", orgId)).block(Duration.ofSeconds(30));
        manager.get().uri("/api/v1/orgs/{org}/seat-pools/{pool}/history", orgId, poolId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'SeatRevoked')]").value(revoked -> assertThat((List<?>) revoked).hasSize(1));
    }

    private void awaitAuditMentions(String type) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(body(manager.get().uri("/api/v1/orgs/{org}/audit?limit=500", orgId)))
                .contains(type));
    }

    private List<String> auditEntries() {
        return owner.jdbc().queryForList("select row_to_json(e)::text from audit.entries e where org_id = ? order by position", String.class, orgId);
    }

    private static String body(WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    /** Stored event payloads (JSON) that contain {@code text}, ignoring case. */
    private List<String> eventPayloadsMentioning(String text) {
        return owner.jdbc().queryForList("select event_identifier from events.domain_event_entry where convert_from(payload, 'UTF8') ilike ?",
                String.class, "%" + text + "%");
    }

    private List<String> readModelsMentioning(String text) {
        return rowsMentioning(List.of("read_model"), text);
    }

    /**
     * Every place of the databases that holds {@code text} in clear: any row of any table of the service's schemas (as
     * JSON), and the stored events' payloads and metadata (bytes, read as UTF-8).
     */
    private List<String> databaseMentioning(String text) {
        List<String> schemas = owner.jdbc().queryForList("""
                select distinct table_schema from information_schema.tables
                where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')""", String.class);
        assertThat(schemas).contains("events", "audit", "read_model", "vault");
        List<String> found = new ArrayList<>(rowsMentioning(schemas, text));
        found.addAll(eventPayloadsMentioning(text));
        found.addAll(owner.jdbc().queryForList("select event_identifier from events.domain_event_entry where convert_from(meta_data, 'UTF8') ilike ?",
                String.class, "%" + text + "%"));
        return found;
    }

    private List<String> rowsMentioning(List<String> schemas, String text) {
        List<String> found = new ArrayList<>();
        for (String schema : schemas) {
            for (String table : owner.jdbc().queryForList("select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE'",
                    String.class, schema)) {
                found.addAll(owner.jdbc().queryForList("select '" + schema + "." + table + ": ' || row_to_json(t)::text from " + schema + ".\"" + table
                        + "\" t where row_to_json(t)::text ilike ?", String.class, "%" + text + "%"));
            }
        }
        return found;
    }

    /** Every Redis key whose name or value (whatever its type) contains {@code text}, ignoring case. */
    private List<String> redisMentioning(String text) {
        List<String> found = new ArrayList<>();
        try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().count(1000).build())) {
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
                if ((key + " " + content).toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT))) {
                    found.add(key);
                }
            }
        }
        return found;
    }
}
