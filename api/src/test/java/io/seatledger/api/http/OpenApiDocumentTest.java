package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

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

    /**
     * What only a route knows is on its handler, so a new route without it fails here rather than reaching clients as
     * springdoc's guess: an operationId and a summary, the statuses it answers with, a tag on its controller.
     */
    @Test
    void everyRouteNamesItsOperationStatusesAndTag() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<?, HandlerMethod> route : handlers.getHandlerMethods().entrySet()) {
            HandlerMethod handler = route.getValue();
            if (!handler.getBeanType().getPackageName().startsWith("io.seatledger") || testRoute(handler.getBeanType())) {
                continue;
            }
            Operation operation = handler.getMethodAnnotation(Operation.class);
            String name = handler.getBeanType().getSimpleName() + "." + handler.getMethod().getName();
            if (operation != null && operation.hidden()) {
                continue;
            }
            if (operation == null || operation.operationId().isBlank() || operation.summary().isBlank()) {
                missing.add(name + ": @Operation(operationId, summary)");
            }
            if (handler.getMethodAnnotation(ApiStatuses.class) == null) {
                missing.add(name + ": @ApiStatuses");
            }
            if (!handler.getBeanType().isAnnotationPresent(Tag.class)) {
                missing.add(name + ": @Tag on " + handler.getBeanType().getSimpleName());
            }
        }
        assertThat(missing).as("routes without what a client generator needs").isEmpty();
    }

    /**
     * The document is one a client generator can use: stable operation ids, one declared tag per operation, concrete
     * media types, a success status on each, and every problem answered with the shared Problem schema.
     */
    @Test
    void everyOperationIsGeneratorReady() {
        byte[] served = api.anonymous().get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        JsonNode document = JsonMapper.builder().build().readTree(served);
        assertThat(new String(served, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("*/*");
        Set<String> declaredTags = new HashSet<>();
        document.path("tags").forEach(tag -> {
            assertThat(tag.path("description").asString()).as("tag %s has a description", tag.path("name").asString()).isNotBlank();
            declaredTags.add(tag.path("name").asString());
        });
        Set<String> operationIds = new HashSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            JsonNode operation = entry.getValue();
            String where = entry.getKey().toUpperCase() + " " + path.getKey();
            assertThat(operation.path("operationId").asString()).as(where).matches("[a-z][A-Za-z]+");
            assertThat(operationIds.add(operation.path("operationId").asString())).as("%s has a unique operationId", where).isTrue();
            assertThat(operation.path("summary").asString()).as(where).isNotBlank();
            assertThat(operation.path("tags")).as(where).hasSize(1);
            assertThat(declaredTags).as(where).contains(operation.path("tags").get(0).asString());
            JsonNode responses = operation.path("responses");
            assertThat(responses.properties().stream().anyMatch(response -> response.getKey().startsWith("2"))).as(where).isTrue();
            assertThat(responses.has("500") && responses.has("503")).as(where).isTrue();
            responses.properties().forEach(response -> {
                int status = Integer.parseInt(response.getKey());
                JsonNode answer = response.getValue().has("$ref")
                        ? document.at("/components/responses/" + response.getValue().path("$ref").asString().substring("#/components/responses/".length()))
                        : response.getValue();
                assertThat(answer.isMissingNode()).as("%s %s resolves", where, status).isFalse();
                if (status < 300 && status != 204) {
                    assertThat(answer.path("content").properties()).as("%s %s has a body", where, status).isNotEmpty();
                }
                if (status >= 400) {
                    assertThat(answer.path("content").properties()).as("%s %s", where, status).hasSize(1);
                    assertThat(answer.path("content").path(OpenApiConfiguration.PROBLEM_JSON).path("schema").path("$ref").asString())
                            .as("%s %s", where, status).isEqualTo("#/components/schemas/Problem");
                }
            });
        }));
        JsonNode paths = document.path("paths");
        assertThat(paths.at("/~1api~1v1~1orgs~1{orgId}~1seat-pools~1{poolId}~1seats/post/responses").has("201")).isTrue();
        assertThat(paths.at("/~1api~1v1~1orgs~1{orgId}~1seat-pools~1{poolId}/patch/responses").has("202")).isTrue();
        assertThat(paths.at("/~1api~1v1~1orgs~1{orgId}~1erasures/post/responses").has("202")).isTrue();
        assertThat(paths.at("/~1api~1v1~1orgs~1{orgId}~1stream/get/responses/200/content/text~1event-stream/schema/$ref").asString())
                .isEqualTo("#/components/schemas/FeedData");
        assertThat(paths.at("/~1api~1v1~1orgs~1{orgId}~1audit/get/responses/200/content").properties().stream().map(Map.Entry::getKey).toList())
                .contains("application/json", "application/x-ndjson", "text/csv");
        assertThat(paths.at("/~1api~1v1~1orgs~1{orgId}~1seat-pools~1{poolId}~1seats~1bulk/post/requestBody/content").properties().stream().map(Map.Entry::getKey).toList())
                .contains("application/json", "application/x-ndjson");
    }

    /** A route the tests add to probe the service (excluded from the document by the test profile). */
    private static boolean testRoute(Class<?> controller) {
        return controller.getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes");
    }

    private static List<String> names(JsonNode parameters) {
        List<String> names = new java.util.ArrayList<>();
        parameters.forEach(parameter -> names.add(parameter.path("name").asString()));
        return names;
    }
}
