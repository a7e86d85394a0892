package io.seatledger.api.http;

import io.seatledger.messages.common.ErrorCode;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.http.HttpStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI document (served at /v3/api-docs; a copy is kept in docs/openapi.json), written for client generators:
 * its frame, the shared {@code Problem} schema and problem responses, and the rules that give every route what routes
 * of its kind share, so that a new route is described the same way. What only a route knows (operationId, summary,
 * tag, real statuses) is on its handler: {@code @Operation}, {@code @Tag}, {@link ApiStatuses}; OpenApiDocumentTest
 * fails for a route without them.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    public static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEM_SCHEMA = "Problem";
    static final String DEV_TOKENS = "/api/v1/dev/tokens";
    static final String STRIPE_WEBHOOK = "/api/v1/billing/stripe/webhook";

    static {
        // a JSON tree (an audit entry's details, an event's payload) is any JSON object, not the getters springdoc would list
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema().description("A JSON object"))
                .replaceWithSchema(ObjectNode.class, new ObjectSchema().description("A JSON object"));
    }

    /** The problem responses routes share (filters and stores answer them, not handlers), by status. */
    enum SharedProblem {
        UNAUTHENTICATED(401, "Unauthenticated", "No valid bearer token (code UNAUTHENTICATED)"),
        PAYLOAD_TOO_LARGE(413, "PayloadTooLarge", "The body is larger than 4 MB (code PAYLOAD_TOO_LARGE)"),
        UNSUPPORTED_MEDIA_TYPE(415, "UnsupportedMediaType", "The body's Content-Type is not one this route reads (code UNSUPPORTED_MEDIA_TYPE)"),
        IDEMPOTENCY_KEY_REUSED(422, "IdempotencyKeyReused", "The Idempotency-Key was used for another request (code IDEMPOTENCY_KEY_REUSED)"),
        RATE_LIMITED(429, "RateLimited", "A rate limit or the cap on open streams was reached (code RATE_LIMITED); retry after Retry-After seconds"),
        INTERNAL_ERROR(500, "InternalError", "A failure of ours (code INTERNAL_ERROR); quote the requestId to support"),
        UNAVAILABLE(503, "Unavailable", "A store is briefly away or a read waited too long for its position (code UNAVAILABLE); "
                + "retry after Retry-After seconds, a write with the same Idempotency-Key");

        final int status;
        final String name;
        final String description;

        SharedProblem(int status, String name, String description) {
            this.status = status;
            this.name = name;
            this.description = description;
        }

        String ref() {
            return "#/components/responses/" + name;
        }
    }

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
                .components(problemComponents(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT"))))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /** The shared {@code Problem} schema ({@link Problem}) and the shared problem responses that refer to it. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Components problemComponents(Components components) {
        List<String> codes = new ArrayList<>(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
        codes.add(Problem.INTERNAL_ERROR);
        Schema fieldError = new ObjectSchema().description("One refused field of a request")
                .addProperty("field", new StringSchema().description("The field, as a JSON path into the request (e.g. seats[3].email)"))
                .addProperty("message", new StringSchema().description("What is wrong with it"));
        Schema problem = new ObjectSchema().description("An RFC 9457 problem with the contract's stable code")
                .addProperty("type", new StringSchema().format("uri").description("The code's page: " + Problem.TYPE_BASE
                        + "<code in lower case, hyphens>, documented in docs/problems.md"))
                .addProperty("title", new StringSchema().description("The code's short, fixed title"))
                .addProperty("status", new IntegerSchema().format("int32").description("The HTTP status"))
                .addProperty("detail", new StringSchema().description("What went wrong with this request"))
                .addProperty("instance", new StringSchema().format("uri").description("urn:uuid:<requestId>"))
                .addProperty("code", new StringSchema()._enum(codes).description("The stable code a client branches on"))
                .addProperty("requestId", new StringSchema().description("The request's id, as in X-Request-Id"))
                .addProperty("traceId", new StringSchema().description("The request's W3C trace id, as in the answer's traceparent (absent when untraced)"))
                .addProperty("errors", new ArraySchema().items(new Schema().$ref("#/components/schemas/ProblemFieldError"))
                        .description("The refused fields, for VALIDATION_FAILED"));
        problem.setRequired(List.of("type", "title", "status", "code", "requestId", "instance"));
        components.addSchemas(PROBLEM_SCHEMA, problem).addSchemas("ProblemFieldError", fieldError);
        Header retryAfter = new Header().description("Seconds to wait before retrying").schema(new IntegerSchema().format("int32"));
        for (SharedProblem shared : SharedProblem.values()) {
            ApiResponse response = problemResponse(shared.description);
            if (shared.status == 429 || shared.status == 503) {
                response.addHeaderObject("Retry-After", retryAfter);
            }
            components.addResponses(shared.name, response);
        }
        return components;
    }

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA))));
    }

    /**
     * A route's own statuses ({@link ApiStatuses}): each success status answers with the body springdoc derived from
     * the handler (a 201 also with its {@code Location}), each problem status lists the codes it answers with.
     */
    @Bean
    OperationCustomizer statusesAndProblems() {
        return (operation, handler) -> {
            ApiStatuses statuses = handler.getMethodAnnotation(ApiStatuses.class);
            if (statuses == null) {
                return operation;
            }
            ApiResponses derived = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            ApiResponse template = derived.entrySet().stream().filter(entry -> entry.getKey().startsWith("2"))
                    .map(Map.Entry::getValue).findFirst().orElseGet(ApiResponse::new);
            ApiResponses responses = new ApiResponses();
            for (int status : statuses.success()) {
                ApiResponse response = derived.containsKey(String.valueOf(status)) ? derived.get(String.valueOf(status))
                        : new ApiResponse().content(template.getContent());
                if (response.getDescription() == null || response.getDescription().isBlank() || response.getDescription().equals("OK")) {
                    response.setDescription(HttpStatus.valueOf(status).getReasonPhrase());
                }
                if (status == 201) {
                    response.addHeaderObject("Location", new Header().description("The created resource").schema(new StringSchema().format("uri")));
                }
                responses.addApiResponse(String.valueOf(status), response);
            }
            Map<Integer, List<String>> codesByStatus = new TreeMap<>();
            for (ErrorCode code : statuses.problems()) {
                codesByStatus.computeIfAbsent(code.httpStatus(), status -> new ArrayList<>()).add(code.name());
            }
            codesByStatus.forEach((status, codes) -> responses.addApiResponse(String.valueOf(status),
                    problemResponse(HttpStatus.valueOf(status).getReasonPhrase() + ": code " + String.join(" or ", codes))));
            operation.setResponses(responses);
            return operation;
        };
    }

    /**
     * The problems every route of a kind can answer, by rule: 401 on routes that need a token, 413 and 415 on routes
     * with a body, 422 on writes that take an Idempotency-Key, 429 on rate-limited routes, 500 and 503 everywhere.
     * Also: a media type springdoc could not name ({@code *}{@code /*}) is JSON, the only other type a route answers
     * with being declared on the route.
     */
    @Bean
    OpenApiCustomizer sharedProblemsAndMediaTypes() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
                operation.setResponses(responses);
                List<SharedProblem> shared = new ArrayList<>();
                if (operation.getSecurity() == null) {
                    shared.add(SharedProblem.UNAUTHENTICATED);
                }
                if (operation.getRequestBody() != null) {
                    shared.add(SharedProblem.PAYLOAD_TOO_LARGE);
                    shared.add(SharedProblem.UNSUPPORTED_MEDIA_TYPE);
                }
                if (idempotentWrite(path, method)) {
                    shared.add(SharedProblem.IDEMPOTENCY_KEY_REUSED);
                }
                if (path.startsWith("/api/v1/") && !path.equals(DEV_TOKENS) && !path.equals(STRIPE_WEBHOOK)) {
                    shared.add(SharedProblem.RATE_LIMITED);
                }
                shared.add(SharedProblem.INTERNAL_ERROR);
                shared.add(SharedProblem.UNAVAILABLE);
                for (SharedProblem problem : shared) {
                    if (!responses.containsKey(String.valueOf(problem.status))) {
                        responses.addApiResponse(String.valueOf(problem.status), new ApiResponse().$ref(problem.ref()));
                    }
                }
                sortByStatus(operation);
                responses.values().forEach(response -> concrete(response.getContent()));
                if (operation.getRequestBody() != null) {
                    concrete(operation.getRequestBody().getContent());
                }
            }));
        };
    }

    private static void sortByStatus(Operation operation) {
        Map<String, ApiResponse> sorted = new TreeMap<>(operation.getResponses());
        ApiResponses responses = new ApiResponses();
        sorted.forEach(responses::addApiResponse);
        operation.setResponses(responses);
    }

    private static void concrete(Content content) {
        if (content != null && content.containsKey("*/*")) {
            Map<String, MediaType> types = new LinkedHashMap<>(content);
            content.clear();
            types.forEach((type, media) -> content.addMediaType(type.equals("*/*") ? "application/json" : type, media));
        }
    }

    /** Writes that filters make idempotent and give a reason: every change under an organization, and a claim. */
    static boolean idempotentWrite(String path, PathItem.HttpMethod method) {
        boolean write = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.PATCH
                || method == PathItem.HttpMethod.DELETE;
        return write && (path.startsWith("/api/v1/orgs") || path.endsWith("/claim")) && !path.endsWith("/resize-preview");
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
                if (idempotentWrite(path, method)) {
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

    /** Enum values are written in lower case on the wire ({@link JsonConfiguration}); so they are in the document (a problem's code is not an enum). */
    @Bean
    OpenApiCustomizer lowerCaseEnums() {
        return openApi -> {
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                openApi.getComponents().getSchemas().forEach((name, schema) -> {
                    if (!name.equals(PROBLEM_SCHEMA)) {
                        lowerCaseEnums(schema);
                    }
                });
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
