package io.seatledger.api.http;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The OpenAPI document's frame (served at /v3/api-docs; a copy is kept in docs/openapi.json). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI seatLedgerApi() {
        return new OpenAPI()
                .info(new Info().title("seat-ledger").version("v1").description("""
                        Seat licensing for SaaS tenants: buy seat pools, assign and claim seats, resize, check entitlements, follow \
                        changes live and audit everything. Bearer JWTs name the tenant (claim `org`); another tenant's paths answer 404. \
                        Every failure is `application/problem+json` (RFC 9457) with a stable `code`, the request's `requestId` (as in \
                        `X-Request-Id`) and `instance` (`urn:uuid:<requestId>`); each `type` is documented in docs/problems.md. POST, PUT, PATCH and DELETE accept \
                        `Idempotency-Key` (≤ 255 characters, kept 24 h). Request bodies are limited to 4 MB. Rate limits per \
                        organization (a bulk assignment costs a request per started 100 seats), per client address for requests \
                        without a valid token, and caps on open live streams answer 429 `RATE_LIMITED` with `Retry-After`. A live \
                        stream ends when its token expires: reconnect with a fresh token and `Last-Event-ID`. A store that is briefly \
                        away answers 503 `UNAVAILABLE` with `Retry-After` (a write answered so may have been applied: retry it with \
                        the same `Idempotency-Key`)."""))
                .servers(List.of(new Server().url("/").description("this service")))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /**
     * The headers and parameters every route of a kind shares, which springdoc cannot see because filters, not the
     * handlers, read and write them: writes take {@code Idempotency-Key} and {@code Seat-Ledger-Reason} and answer with
     * the {@code Seat-Ledger-Position} of what they stored; reads of the read models take {@code minPosition} (or the
     * same header) and wait for it.
     */
    @Bean
    OpenApiCustomizer sharedHeadersAndPositions() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                boolean tenantRoute = path.startsWith("/api/v1/orgs/") || path.startsWith("/api/v1/invitations/") || path.startsWith("/api/v1/me/");
                if (method == PathItem.HttpMethod.GET && tenantRoute && !path.endsWith("/stream")) {
                    operation.addParametersItem(new Parameter().in("query").name("minPosition").required(false)
                            .description("Wait until the read model behind this read has applied every event up to this global position "
                                    + "(from a write's Seat-Ledger-Position), at most seatledger.consistency.max-wait; else 503 with Retry-After")
                            .schema(new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ONE)));
                    operation.addParametersItem(new Parameter().in("header").name(Positions.HEADER).required(false)
                            .description("The same as minPosition").schema(new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ONE)));
                }
                boolean write = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.PATCH
                        || method == PathItem.HttpMethod.DELETE;
                if (write && (path.startsWith("/api/v1/orgs") || path.endsWith("/claim")) && !path.endsWith("/resize-preview")) {
                    operation.addParametersItem(new Parameter().in("header").name(Idempotency.HEADER).required(false)
                            .description("One key per logical change, reused on its retries: the same key and body within 24 h answer the first "
                                    + "answer again; another body is 422 IDEMPOTENCY_KEY_REUSED")
                            .schema(new StringSchema().minLength(1).maxLength(255)));
                    operation.addParametersItem(new Parameter().in("header").name(ChangeReasons.HEADER).required(false)
                            .description("Why the change is made (UTF-8, percent-encoded beyond ASCII; at most 500 characters, no control "
                                    + "characters): stored with the events, shown in history and audit entries, covered by the audit hash")
                            .schema(new StringSchema().maxLength(1500)));
                    if (operation.getResponses() != null) {
                        operation.getResponses().forEach((status, response) -> {
                            if (status.startsWith("2")) {
                                response.addHeaderObject(Positions.HEADER, new Header()
                                        .description("The global position of the last event this change stored (absent when it stored none); "
                                                + "pass it to a later read as minPosition to see the change")
                                        .schema(new IntegerSchema().format("int64")));
                            }
                        });
                    }
                }
            }));
        };
    }

    /** Enum values are written in lower case on the wire ({@link JsonConfiguration}); so they are in the document. */
    @Bean
    OpenApiCustomizer lowerCaseEnums() {
        return openApi -> {
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                openApi.getComponents().getSchemas().values().forEach(OpenApiConfiguration::lowerCaseEnums);
            }
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void lowerCaseEnums(Schema schema) {
        if (schema == null) {
            return;
        }
        if (schema.getEnum() != null) {
            List<Object> values = ((List<Object>) schema.getEnum()).stream()
                    .map(value -> value instanceof String text ? text.toLowerCase(Locale.ROOT) : value).toList();
            schema.setEnum(values);
        }
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values().forEach(OpenApiConfiguration::lowerCaseEnums);
        }
        lowerCaseEnums(schema.getItems());
    }
}
