package io.seatledger.api.support;

import io.seatledger.api.http.Problem;
import io.seatledger.api.http.RequestIds;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Talks to the running service over HTTP, as its clients do: dev tokens for callers, then plain requests. */
public final class Api {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String POSITION = "Seat-Ledger-Position";

    private final WebTestClient anonymous;
    /** The highest position any answer to this Api's clients carried: its reads wait for it, as a client reading its own writes does. */
    private final AtomicLong position = new AtomicLong(-1);

    public Api(int port) {
        this.anonymous = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(60))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .filter(readingOwnWrites())
                .filter(StatusRecorder.FILTER)
                .build();
    }

    /**
     * The clients of one test act as one session: every request names the highest {@code Seat-Ledger-Position} an
     * answer carried so far (unless it names one itself), so a read after a change shows the change (changes ignore it).
     */
    private ExchangeFilterFunction readingOwnWrites() {
        return (request, next) -> {
            ClientRequest sent = request;
            long seen = position.get();
            if (seen >= 0 && !request.headers().containsHeader(POSITION)
                    && (request.url().getRawQuery() == null || !request.url().getRawQuery().contains("minPosition="))) {
                sent = ClientRequest.from(request).header(POSITION, Long.toString(seen)).build();
            }
            return next.exchange(sent).doOnNext(response -> response.headers().header(POSITION).forEach(value ->
                    position.accumulateAndGet(Long.parseLong(value), Math::max)));
        };
    }

    /** The highest position an answer to this Api's clients carried, -1 before any change. */
    public long lastPosition() {
        return position.get();
    }

    /**
     * The problem a response answered, checked for status, code and the members every problem carries: its
     * {@code type}, and its request's id (as in {@code X-Request-Id}) as {@code requestId} and {@code instance}.
     */
    public static JsonNode problem(WebTestClient.ResponseSpec response, int status, String code) {
        EntityExchangeResult<byte[]> result = response.expectStatus().isEqualTo(status).expectHeader().contentType(PROBLEM_JSON)
                .expectBody().returnResult();
        String requestId = result.getResponseHeaders().getFirst(RequestIds.HEADER);
        JsonNode body = JsonMapper.builder().build().readTree(result.getResponseBody());
        assertThat(requestId).isNotBlank();
        assertThat(body.path("code").asString()).isEqualTo(code);
        assertThat(body.path("type").asString()).isEqualTo(Problem.type(code).toString());
        assertThat(body.path("requestId").asString()).isEqualTo(requestId);
        assertThat(body.path("instance").asString()).isEqualTo("urn:uuid:" + requestId);
        return body;
    }

    public WebTestClient anonymous() {
        return anonymous;
    }

    /** A client acting with a dev token for this user, organization, e-mail and roles. */
    public WebTestClient as(String userId, String orgId, String email, String... roles) {
        return withToken(token(userId, orgId, email, roles));
    }

    public WebTestClient withToken(String token) {
        return anonymous.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    @SuppressWarnings("unchecked")
    public String token(String userId, String orgId, String email, String... roles) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("sub", userId);
        body.put("org", orgId);
        body.put("email", email);
        body.put("roles", List.of(roles));
        Map<String, String> answer = anonymous.post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return answer.get("token");
    }

    public static String newOrgId() {
        return "org-" + UUID.randomUUID();
    }
}
