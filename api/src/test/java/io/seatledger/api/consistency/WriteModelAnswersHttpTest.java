package io.seatledger.api.consistency;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command is answered from the write model, with the position of what it stored: each answer, field by field,
 * is what the read model shows once it has applied that position (a read with {@code ?minPosition=}).
 */
class WriteModelAnswersHttpTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Answer(JsonNode body, long position) {
    }

    @Test
    void poolAnswersAreWhatThePoolReadShows() {
        Answer bought = answer(manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", 5, "interval", "month", "pricing", perSeat(1500))), 201);
        String poolId = bought.body().path("poolId").asString();
        assertSameAsRead(bought, "/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId);

        assertSameAsRead(answer(resize(poolId, 3, "period_end"), 200), "/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId);
        Answer grown = answer(resize(poolId, 8, "now"), 200);
        assertThat(grown.body().path("capacity").asInt()).isEqualTo(8);
        assertSameAsRead(grown, "/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId);
        assertSameAsRead(answer(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/interval", orgId, poolId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("interval", "year")), 200), "/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId);

        assign(poolId, "ana@example.com");
        Answer scheduled = answer(cancel(poolId, true), 200);
        assertThat(scheduled.body().path("cancelAtPeriodEnd").asBoolean()).isTrue();
        assertSameAsRead(scheduled, "/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId);
        Answer canceled = answer(cancel(poolId, false), 200);
        assertThat(canceled.body().path("status").asString()).isEqualTo("canceled");
        assertThat(canceled.body().path("pending").asInt()).isZero();
        assertSameAsRead(canceled, "/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId);
    }

    @Test
    void seatAnswersAreWhatTheSeatReadShows() {
        String poolId = buyPool(6);
        String seats = "/api/v1/orgs/{org}/seat-pools/{pool}/seats";
        Answer invited = answer(manager.post().uri(seats, orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "  Ada@Example.com ", "metadata", Map.of("team", "core", "a", "b"))), 201);
        String ada = invited.body().path("seatId").asString();
        assertSameAsRead(invited, seats + "/{seat}", orgId, poolId, ada);

        Answer resent = answer(manager.post().uri(seats + "/{seat}/resend", orgId, poolId, ada), 200);
        assertThat(resent.position()).isGreaterThan(invited.position());
        assertSameAsRead(resent, seats + "/{seat}", orgId, poolId, ada);

        Answer atOnce = answer(manager.post().uri(seats, orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "bob@example.com", "immediateClaim", true, "userId", "user-bob")), 201);
        String bob = atOnce.body().path("seatId").asString();
        assertSameAsRead(atOnce, seats + "/{seat}", orgId, poolId, bob);

        Answer transferred = answer(manager.post().uri(seats + "/{seat}/transfer", orgId, poolId, bob).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "cy@example.com")), 200);
        assertThat(transferred.body().path("metadata").isEmpty()).isTrue();
        assertSameAsRead(transferred, seats + "/{seat}", orgId, poolId, transferred.body().path("seatId").asString());
        assertSameAsRead(new Answer(null, transferred.position()), seats + "/{seat}", orgId, poolId, bob);

        String token = resent.body().path("invitation").path("token").asString();
        WebTestClient holder = api.as("user-ada", "holders-org", "ada@example.com");
        Answer claimed = answer(holder.post().uri("/api/v1/invitations/{token}/claim", token), 200);
        assertThat(claimed.body().path("status").asString()).isEqualTo("claimed");
        assertSameAsRead(claimed, seats + "/{seat}", orgId, poolId, ada);

        Answer revoked = answer(manager.delete().uri(seats + "/{seat}", orgId, poolId, ada), 200);
        assertThat(revoked.body().path("claimedAt").isNull()).isFalse();
        assertThat(revoked.body().path("revokedAt").isNull()).isFalse();
        assertSameAsRead(revoked, seats + "/{seat}", orgId, poolId, ada);
        assertSameAsRead(new Answer(null, revoked.position()), "/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId);
    }

    @Test
    void bulkRowsAreTheSeatsTheReadShows() {
        String poolId = buyPool(5);
        Answer bulk = answer(manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", List.of(Map.of("email", "a@example.com"), Map.of("email", "b@example.com", "immediateClaim", true,
                        "userId", "user-b")), "atomic", true)), 200);
        assertThat(bulk.body().path("assigned")).hasSize(2);
        for (JsonNode row : bulk.body().path("assigned")) {
            JsonNode read = read(bulk.position(), "/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, row.path("seatId").asString());
            assertThat(read.path("email")).isEqualTo(row.path("email"));
            assertThat(read.path("status")).isEqualTo(row.path("status"));
        }
    }

    @Test
    void organizationAnswersAreWhatTheOrganizationReadShows() {
        String newManager = "manager-" + java.util.UUID.randomUUID();
        Answer appointed = answer(manager.put().uri("/api/v1/orgs/{org}/billing-manager", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("userId", newManager, "email", "Next@Example.com")), 200);
        assertSameAsRead(appointed, "/api/v1/orgs/{org}", orgId);
        String otherOrg = Api.newOrgId();
        Answer created = answer(api.as("founder", otherOrg, "founder@example.com").post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Other")), 201);
        JsonNode read = JSON.readTree(api.as("founder", otherOrg, "founder@example.com").get().uri("/api/v1/orgs/{org}?minPosition={p}", otherOrg,
                created.position()).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(read).isEqualTo(created.body());
    }

    private WebTestClient.RequestHeadersSpec<?> resize(String poolId, int seats, String effective) {
        return manager.patch().uri("/api/v1/orgs/{org}/seat-pools/{pool}", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("seats", seats, "effective", effective, "prorationBehavior", "none"));
    }

    private WebTestClient.RequestHeadersSpec<?> cancel(String poolId, boolean atPeriodEnd) {
        return manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/cancel", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("atPeriodEnd", atPeriodEnd));
    }

    /** The answer, with the position it names (every answer to a stored change names one). */
    private static Answer answer(WebTestClient.RequestHeadersSpec<?> request, int status) {
        EntityExchangeResult<byte[]> result = request.exchange().expectStatus().isEqualTo(status).expectBody().returnResult();
        String position = result.getResponseHeaders().getFirst(Api.POSITION);
        assertThat(position).as("Seat-Ledger-Position").isNotNull().matches("\\d+");
        return new Answer(JSON.readTree(result.getResponseBody()), Long.parseLong(position));
    }

    /** The read at the answer's position shows exactly what the answer showed (the invitation, shown once, aside). */
    private void assertSameAsRead(Answer answer, String uri, Object... variables) {
        JsonNode read = read(answer.position(), uri, variables);
        if (answer.body() == null) {
            return;
        }
        ObjectNode shown = ((ObjectNode) answer.body()).deepCopy();
        shown.remove("invitation");
        assertThat(read).as(uri).isEqualTo(shown);
    }

    private JsonNode read(long position, String uri, Object... variables) {
        return JSON.readTree(manager.get().uri(uri + "?minPosition=" + position, variables).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }
}
