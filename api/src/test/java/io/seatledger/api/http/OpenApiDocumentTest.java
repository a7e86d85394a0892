package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is served at /v3/api-docs, describes every path of the contract, and the copy checked
 * in under docs/ is the one served (the served copy is written to target/openapi.json: copy it over when the
 * API changes).
 */
class OpenApiDocumentTest extends ApiTest {

    static final Path CHECKED_IN = Path.of("..", "docs", "openapi.json");
    static final List<String> CONTRACT_PATHS = List.of(
            "/api/v1/orgs", "/api/v1/orgs/{orgId}", "/api/v1/orgs/{orgId}/billing-manager",
            "/api/v1/orgs/{orgId}/seat-pools", "/api/v1/orgs/{orgId}/seat-pools/{poolId}", "/api/v1/orgs/{orgId}/seat-pools/{poolId}/history",
            "/api/v1/orgs/{orgId}/seat-pools/{poolId}/charges", "/api/v1/orgs/{orgId}/charges",
            "/api/v1/orgs/{orgId}/seat-pools/{poolId}/resize-preview", "/api/v1/orgs/{orgId}/seat-pools/{poolId}/interval",
            "/api/v1/orgs/{orgId}/seat-pools/{poolId}/cancel", "/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats",
            "/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats/bulk", "/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats/{seatId}",
            "/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats/{seatId}/resend", "/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats/{seatId}/transfer",
            "/api/v1/invitations/{token}", "/api/v1/invitations/{token}/claim", "/api/v1/orgs/{orgId}/entitlements/{userId}",
            "/api/v1/me/entitlements", "/api/v1/orgs/{orgId}/usage", "/api/v1/orgs/{orgId}/stream", "/api/v1/orgs/{orgId}/audit",
            "/api/v1/orgs/{orgId}/audit/verify", "/api/v1/orgs/{orgId}/erasures", "/api/v1/orgs/{orgId}/erasures/{erasureId}", "/api/v1/admin/projections", "/api/v1/admin/projections/{name}/replay", "/api/v1/dev/tokens");

    @Test
    void theServedDocumentDescribesTheContractAndIsCheckedIn() throws Exception {
        byte[] served = api.anonymous().get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        JsonNode document = json.readTree(served);
        assertThat(document.path("openapi").asString()).startsWith("3.");
        for (String path : CONTRACT_PATHS) {
            assertThat(document.path("paths").has(path)).as("the document describes %s", path).isTrue();
        }
        String pretty = json.writeValueAsString(document) + "\n";
        Files.writeString(Path.of("target", "openapi.json"), pretty);
        assertThat(Files.exists(CHECKED_IN)).as("docs/openapi.json is checked in").isTrue();
        assertThat(json.readTree(Files.readString(CHECKED_IN)))
                .as("docs/openapi.json is the served document; copy api/target/openapi.json over it").isEqualTo(document);
    }

    /** What filters read and write is in the document too: keys and reasons on writes, positions on answers and reads. */
    @Test
    void writesDeclareTheirHeadersAndReadsTheirPosition() {
        byte[] served = api.anonymous().get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        JsonNode paths = JsonMapper.builder().build().readTree(served).path("paths");
        JsonNode assign = paths.path("/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats").path("post");
        assertThat(names(assign.path("parameters"))).contains("Idempotency-Key", "Seat-Ledger-Reason");
        assign.path("responses").properties().stream().filter(response -> response.getKey().startsWith("2"))
                .forEach(response -> assertThat(response.getValue().path("headers").has("Seat-Ledger-Position")).as(response.getKey()).isTrue());
        assertThat(assign.path("responses").properties().stream().anyMatch(response -> response.getKey().startsWith("2"))).isTrue();
        JsonNode revoke = paths.path("/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats/{seatId}").path("delete");
        assertThat(names(revoke.path("parameters"))).contains("Idempotency-Key", "Seat-Ledger-Reason");
        JsonNode seats = paths.path("/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats").path("get");
        assertThat(names(seats.path("parameters"))).contains("minPosition", "Seat-Ledger-Position").doesNotContain("Idempotency-Key");
        assertThat(names(paths.path("/api/v1/orgs/{orgId}/stream").path("get").path("parameters"))).doesNotContain("minPosition");
    }

    private static List<String> names(JsonNode parameters) {
        List<String> names = new java.util.ArrayList<>();
        parameters.forEach(parameter -> names.add(parameter.path("name").asString()));
        return names;
    }
}
