package io.seatledger.api.audit;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.AuditTrails;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.Checkpoint;
import io.seatledger.auditformat.CheckpointSignature;
import io.seatledger.auditformat.EntryHash;
import io.seatledger.auditformat.SigningKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.security.PublicKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signed checkpoints: an auditor makes one over the trail as it stands, anyone can check its signature with the
 * published keys, and an operator who later rewrites an entry and recomputes every hash after it gets a chain that
 * verifies and a checkpoint that does not. Only auditors make checkpoints, only the tenant's readers list them, only
 * the keys are public, hostile paging is refused, and no stored checkpoint or key can be changed.
 */
class AuditCheckpointTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private io.seatledger.api.audit.checkpoint.CheckpointSigner signer;

    @Autowired
    private DatabaseOwner owner;

    @Autowired
    private io.seatledger.api.erasure.SubjectDigests digests;

    @Autowired
    private JdbcTemplate service;

    private WebTestClient auditor;
    private String poolId;

    @BeforeEach
    void aTrail() {
        auditor = api.as("auditor-" + orgId, orgId, "auditor@example.com", "auditor");
        poolId = buyPool(5);
        assign(poolId, "ada@example.com");
        assign(poolId, "bob@example.com");
        AuditTrails.awaitComplete(owner, signer);
    }

    /**
     * A transaction that took a global index and rolled back leaves a gap no event will fill: checkpoints pass it once the
     * event stored after it is older than the settle time (2 s in tests), instead of stopping below it until Axon drops
     * the gap, and the checkpoint then covers the changes made after it.
     */
    @Test
    void aRolledBackIndexHoldsCheckpointsBackOnlyForTheSettleTime() {
        long gap = owner.jdbc().execute((java.sql.Connection connection) -> {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement();
                 var index = statement.executeQuery("select nextval('events.domain_event_entry_global_index_seq')")) {
                index.next();
                return index.getLong(1);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        });
        assign(poolId, "after-the-gap@example.com");
        long last = owner.jdbc().queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
        assertThat(last).isGreaterThan(gap);

        AuditTrails.awaitComplete(owner, signer);
        JsonNode checkpoint = JSON.readTree(auditor.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange()
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody());
        assertThat(checkpoint.get("upTo").asLong()).as("past the rolled-back index %d", gap).isGreaterThanOrEqualTo(last);
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    @Test
    void anAuditorsCheckpointIsSignedByThePublishedKeyOverTheRootTheVerificationComputes() {
        EntityExchangeResult<byte[]> created = auditor.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange()
                .expectStatus().isCreated().expectBody().returnResult();
        JsonNode checkpoint = JSON.readTree(created.getResponseBody());
        assertThat(checkpoint.propertyNames()).containsExactlyInAnyOrder("checkpointId", "upTo", "headHash", "signedAt", "keyId", "signature");
        String location = created.getResponseHeaders().getFirst(HttpHeaders.LOCATION);
        assertThat(location).isEqualTo("/api/v1/orgs/" + orgId + "/audit/checkpoints/" + checkpoint.get("checkpointId").asString());
        assertThat(JSON.readTree(manager.get().uri(location).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody()))
                .isEqualTo(checkpoint);

        JsonNode verdict = verify();
        assertThat(checkpoint.get("headHash").asString()).isEqualTo(verdict.get("headHash").asString());
        assertThat(verdict.get("valid").asBoolean()).isTrue();
        assertThat(verdict.get("checkpoints").get("checked").asInt()).isEqualTo(1);
        assertThat(verdict.get("checkpoints").get("firstInvalid").isNull()).isTrue();

        JsonNode jwks = JSON.readTree(api.anonymous().get().uri("/api/v1/audit/keys").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        assertThat(jwks.get("keys")).isNotEmpty().allSatisfy(key -> {
            assertThat(key.propertyNames()).containsExactlyInAnyOrder("kty", "crv", "x", "kid", "use", "alg");
            assertThat(key.get("kty").asString()).isEqualTo("OKP");
            assertThat(key.get("crv").asString()).isEqualTo("Ed25519");
            assertThat(key.get("use").asString()).isEqualTo("sig");
            assertThat(key.get("alg").asString()).isEqualTo("EdDSA");
        });
        Map<String, PublicKey> keys = SigningKeys.fromJwks(jwks);
        Checkpoint signed = fromJson(checkpoint);
        assertThat(CheckpointSignature.verifies(keys.get(signed.keyId()), signed.signedBytes(), signed.signature())).isTrue();
    }

    @Test
    void aWholeChainRewrittenWithRecomputedHashesVerifiesButTheOlderCheckpointDoesNot() {
        String checkpointId = JSON.readTree(auditor.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange()
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody()).get("checkpointId").asString();
        assertThat(verify().get("valid").asBoolean()).isTrue();

        // addresses are stored sealed, named by their digests: the rewrite gives ada's seat to eve
        rewritePoolHistory(poolId, digests.of(orgId, "ada@example.com"), digests.of(orgId, "eve@example.com"));

        JsonNode verdict = verify();
        assertThat(verdict.get("fault").isNull()).as("the rewritten chain links and hashes: %s", verdict).isTrue();
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        JsonNode invalid = verdict.get("checkpoints").get("firstInvalid");
        assertThat(invalid.get("checkpointId").asString()).isEqualTo(checkpointId);
        assertThat(invalid.get("problem").asString()).isEqualTo("root");
    }

    @Test
    void checkpointsAndKeysAreNeverChangedNeitherByTheServiceNorByTheOwner() {
        auditor.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange().expectStatus().isCreated();
        for (JdbcTemplate role : List.of(service, owner.jdbc())) {
            assertThatThrownBy(() -> role.update("update audit.checkpoints set head_hash = repeat('0', 64) where org_id = ?", orgId))
                    .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> role.update("delete from audit.checkpoints where org_id = ?", orgId)).isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> role.update("delete from audit.signing_keys")).isInstanceOf(DataAccessException.class);
        }
        assertThat(owner.jdbc().queryForObject("select count(*) from audit.checkpoints where org_id = ?", Integer.class, orgId)).isEqualTo(1);
    }

    @Test
    void onlyTheKeysArePublicAndOnlyAuditorsMakeCheckpoints() {
        WebTestClient anonymous = api.anonymous();
        Api.problem(anonymous.get().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange(), 401, "UNAUTHENTICATED");
        Api.problem(anonymous.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange(), 401, "UNAUTHENTICATED");
        Api.problem(anonymous.post().uri("/api/v1/audit/keys").exchange(), 401, "UNAUTHENTICATED");
        anonymous.get().uri("/api/v1/audit/keys").exchange().expectStatus().isOk();

        Api.problem(manager.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange(), 403, "FORBIDDEN");
        WebTestClient member = api.as("member-" + orgId, orgId, "member@example.com");
        Api.problem(member.get().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange(), 403, "FORBIDDEN");
        manager.get().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange().expectStatus().isOk();
    }

    @Test
    void anotherTenantsCheckpointsAreNotFound() {
        String checkpointId = JSON.readTree(auditor.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange()
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody()).get("checkpointId").asString();
        String otherOrg = Api.newOrgId();
        WebTestClient otherAuditor = api.as("auditor-" + otherOrg, otherOrg, "other@example.com", "auditor");
        Api.problem(otherAuditor.get().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange(), 404, "NOT_FOUND");
        Api.problem(otherAuditor.get().uri("/api/v1/orgs/{org}/audit/checkpoints/{id}", orgId, checkpointId).exchange(), 404, "NOT_FOUND");
        Api.problem(otherAuditor.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange(), 404, "NOT_FOUND");
        // its own organization's listing does not show them either
        otherAuditor.get().uri("/api/v1/orgs/{org}/audit/checkpoints", otherOrg).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items").isEmpty();
        assertThat(owner.jdbc().queryForObject("select count(*) from audit.checkpoints where org_id = ?", Integer.class, orgId)).isEqualTo(1);
    }

    @Test
    void pagesFollowTheOrderCheckpointsWereMadeInAndHostilePagingIsRefused() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(JSON.readTree(auditor.post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange()
                    .expectStatus().isCreated().expectBody().returnResult().getResponseBody()).get("checkpointId").asString());
        }
        List<String> paged = new ArrayList<>();
        String next = null;
        do {
            String uri = "/api/v1/orgs/" + orgId + "/audit/checkpoints?limit=1" + (next == null ? "" : "&after=" + next);
            JsonNode page = JSON.readTree(auditor.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
            page.get("items").forEach(item -> paged.add(item.get("checkpointId").asString()));
            next = page.get("next").isNull() ? null : page.get("next").asString();
        } while (next != null);
        assertThat(paged).isEqualTo(made);

        for (String hostile : List.of("after=abc", "after=1e99", "after=99999999999999999999", "limit=0", "limit=1001", "limit=-1", "limit=x")) {
            Api.problem(auditor.get().uri("/api/v1/orgs/" + orgId + "/audit/checkpoints?" + hostile).exchange(), 400, "VALIDATION_FAILED");
        }
        auditor.get().uri("/api/v1/orgs/{org}/audit/checkpoints?after=-5", orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(3);
        auditor.get().uri("/api/v1/orgs/{org}/audit/checkpoints?after=" + Long.MAX_VALUE, orgId).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items").isEmpty();
    }

    private JsonNode verify() {
        return JSON.readTree(auditor.get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }


    /**
     * What an operator with the owner's rights could do: change the details of {@code aggregateId}'s first entry that
     * mentions {@code from} and recompute its hash and every later hash of that aggregate with the published format.
     */
    static void rewritePoolHistory(DatabaseOwner owner, String aggregateId, String from, String to) {
        List<CanonicalEntry> chain = owner.jdbc().query("""
                        select position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason, action,
                            object_type, object_id, pool_id, seat_id, details, prev_hash, hash
                        from audit.entries where aggregate_id = ? order by sequence""",
                (row, i) -> new CanonicalEntry(row.getLong("position"), row.getString("org_id"), row.getString("aggregate_id"),
                        row.getLong("sequence"), row.getObject("occurred_at", OffsetDateTime.class).toInstant(), row.getString("actor_id"),
                        row.getString("actor_roles"), row.getString("request_id"), row.getString("reason"), row.getString("action"),
                        row.getString("object_type"), row.getString("object_id"), row.getString("pool_id"), row.getString("seat_id"),
                        row.getString("details"), row.getString("prev_hash"), row.getString("hash")), aggregateId);
        long sequence = chain.stream().filter(entry -> entry.details().contains(from)).findFirst().orElseThrow().sequence();
        EntryHash hasher = new EntryHash();
        String previous = chain.get((int) sequence).prevHash();
        for (CanonicalEntry entry : chain.subList((int) sequence, chain.size())) {
            String details = entry.sequence() == sequence ? entry.details().replace(from, to) : entry.details();
            CanonicalEntry changed = new CanonicalEntry(entry.position(), entry.orgId(), entry.aggregateId(), entry.sequence(), entry.occurredAt(),
                    entry.actorId(), entry.actorRoles(), entry.requestId(), entry.reason(), entry.action(), entry.objectType(), entry.objectId(),
                    entry.poolId(), entry.seatId(), details, previous, null);
            String hash = hasher.hex(changed);
            owner.jdbc().update("update audit.entries set details = ?, prev_hash = ?, hash = ? where position = ?", details, previous, hash,
                    entry.position());
            previous = hash;
        }
    }

    private void rewritePoolHistory(String aggregateId, String from, String to) {
        rewritePoolHistory(owner, aggregateId, from, to);
    }

    private Checkpoint fromJson(JsonNode checkpoint) {
        return new Checkpoint(checkpoint.get("checkpointId").asString(), orgId, checkpoint.get("upTo").asLong(), checkpoint.get("headHash").asString(),
                Instant.parse(checkpoint.get("signedAt").asString()), checkpoint.get("keyId").asString(), checkpoint.get("signature").asString());
    }
}
