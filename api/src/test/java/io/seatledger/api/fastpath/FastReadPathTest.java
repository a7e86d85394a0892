package io.seatledger.api.fastpath;

import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.api.security.DevTokens;
import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fast read path answers entitlement checks and liveness probes exactly as the full stack would (same body, same
 * headers), and only those it may: every refusal (no token, a token never verified, a forged or expired one, another
 * tenant, malformed input, a sampled trace) is left to the full stack, while many clients of several tenants at once
 * each get their own answers. Whether the fast path answered is read from its counter.
 */
class FastReadPathTest extends ApiTest {

    /** The test profile gives this organization's entitlement checks a burst of 6 and 2 a second. */
    private static final String LIMITED = "rate-limited-org";

    @Autowired
    MeterRegistry meters;
    @Autowired
    DevTokens devTokens;

    @Test
    void anEntitlementCheckIsAnsweredAsTheFullStackAnswersIt() {
        String poolId = buyPool(2);
        claimAtOnce(poolId, "ann@example.com", "user-ann");

        WebTestClient reader = reader(managerId, orgId, managerEmail);
        double before = fastAnswers();
        EntityExchangeResult<String> fast = reader.get().uri("/api/v1/orgs/{org}/entitlements/user-ann", orgId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(fastAnswers()).as("answered by the fast path").isEqualTo(before + 1);
        // a read at a position is the full stack's (it may have to wait)
        EntityExchangeResult<String> full = reader.get().uri("/api/v1/orgs/{org}/entitlements/user-ann?minPosition=0", orgId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(fastAnswers()).as("answered by the full stack").isEqualTo(before + 1);

        assertThat(fast.getResponseBody()).isEqualTo(full.getResponseBody()).contains("\"entitled\":true").contains(poolId);
        assertThat(names(fast.getResponseHeaders())).isEqualTo(names(full.getResponseHeaders()));
        for (String same : List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CACHE_CONTROL, HttpHeaders.PRAGMA, HttpHeaders.EXPIRES,
                "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection", "Referrer-Policy")) {
            assertThat(fast.getResponseHeaders().get(same)).as(same).isEqualTo(full.getResponseHeaders().get(same));
        }
        assertThat(fast.getResponseHeaders().getFirst("X-Request-Id")).matches("[0-9a-f-]{36}")
                .isNotEqualTo(full.getResponseHeaders().getFirst("X-Request-Id"));
        assertThat(fast.getResponseHeaders().getFirst("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
    }

    @Test
    void everyRefusalIsTheFullStacksOwn() throws IOException {
        String token = api.token(managerId, orgId, managerEmail);
        WebTestClient caller = api.withToken(token);
        caller.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange().expectStatus().isOk();
        double before = fastAnswers();

        Api.problem(api.anonymous().get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange(), 401, "UNAUTHENTICATED");
        Api.problem(api.withToken("not-a-token").get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange(), 401, "UNAUTHENTICATED");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + new StringBuilder(token.substring(token.lastIndexOf('.') + 1)).reverse();
        Api.problem(api.withToken(forged).get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange(), 401, "UNAUTHENTICATED");
        Api.problem(caller.get().uri("/api/v1/orgs/{org}/entitlements/someone", Api.newOrgId()).exchange(), 404, "NOT_FOUND");
        Api.problem(caller.get().uri("/api/v1/orgs/{org}/entitlements/" + "u".repeat(256), orgId).exchange(), 400, "VALIDATION_FAILED");
        assertThat(rawStatusLine("/api/v1/orgs/" + orgId + "/entitlements/someone", token, "X-Note: bell\u0007")).contains(" 400 ");
        Api.problem(caller.get().uri("/api/v1/orgs/{org}/entitlements/someone?minPosition=-1", orgId).exchange(), 400, "VALIDATION_FAILED");
        String admin = api.token("root", orgId, "root@example.com", "admin");
        api.withToken(admin).get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange().expectStatus().isOk();
        assertThat(rawStatusLine("/api/v1/orgs/../entitlements/someone", admin, "X-Note: dot segment")).as("the firewall's").contains(" 400 ");
        assertThat(rawStatusLine("/api/v1/orgs/./entitlements/someone", admin, "X-Note: dot segment")).contains(" 400 ");
        assertThat(fastAnswers()).as("no refusal came from the fast path").isEqualTo(before);

        // behind a proxy the full stack may answer as HTTPS (with HSTS): such requests are its own
        caller.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).header("X-Forwarded-Proto", "https").exchange().expectStatus().isOk();
        assertThat(fastAnswers()).isEqualTo(before);

        // ids the fast path leaves to the full stack's decoding are still answered, by it
        caller.get().uri("/api/v1/orgs/{org}/entitlements/{user}", orgId, "auth0|42").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId").isEqualTo("auth0|42");
        assertThat(fastAnswers()).isEqualTo(before);
    }

    @Test
    void aTokenIsAnsweredHereOnlyOnceTheServiceVerifiedItAndUntilItExpires() throws InterruptedException {
        Instant expiry = Instant.now().plusSeconds(3);
        String token = devTokens.issue(managerId, orgId, managerEmail, List.of(), Duration.between(Instant.now(), expiry));
        WebTestClient caller = new Api(port).withToken(token);

        double before = fastAnswers();
        caller.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange().expectStatus().isOk();
        assertThat(fastAnswers()).as("a token never seen is verified by the full stack").isEqualTo(before);
        caller.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange().expectStatus().isOk();
        assertThat(fastAnswers()).as("then remembered").isEqualTo(before + 1);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 500);
        double expired = fastAnswers();
        // past its expiry the full stack judges the token (with the clock skew it allows), never the fast path
        caller.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange();
        assertThat(fastAnswers()).isEqualTo(expired);
    }

    @Test
    void aSampledTraceGoesThroughTheFullStackAndAnUnsampledOneIsContinuedHere() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        WebTestClient reader = reader(managerId, orgId, managerEmail);

        double before = fastAnswers();
        reader.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00")
                .exchange().expectStatus().isOk().expectHeader().value("traceparent", value -> assertThat(value).startsWith("00-" + traceId + "-").endsWith("-00"));
        assertThat(fastAnswers()).isEqualTo(before + 1);

        reader.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .exchange().expectStatus().isOk().expectHeader().value("traceparent", value -> assertThat(value).startsWith("00-" + traceId + "-").endsWith("-01"));
        assertThat(fastAnswers()).as("a sampled trace is recorded by the full stack").isEqualTo(before + 1);

        reader.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).header("traceparent", "garbage")
                .exchange().expectStatus().isOk().expectHeader().value("traceparent", value -> assertThat(value).doesNotContain(traceId));
        assertThat(fastAnswers()).as("a malformed trace starts a new one, here too").isEqualTo(before + 2);
    }

    @Test
    void overItsLimitATenantIsToldWhenToRetryWhileOthersAreAnswered() {
        WebTestClient limited = new Api(port).as("busy", LIMITED, "busy@example.com");
        limited.get().uri("/api/v1/orgs/{org}/usage", LIMITED).exchange();
        double before = fastAnswers();
        WebTestClient.ResponseSpec refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            WebTestClient.ResponseSpec response = limited.get().uri("/api/v1/orgs/{org}/entitlements/someone", LIMITED).exchange();
            if (response.returnResult(String.class).getStatus().value() == 429) {
                refused = response;
            }
        }
        assertThat(refused).as("the entitlement bucket (burst 6, 2/s) ran out").isNotNull();
        Api.problem(refused.expectHeader().exists("Retry-After").expectHeader().exists("X-Request-Id")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff"), 429, "RATE_LIMITED");
        assertThat(fastAnswers()).as("checks and the refusal were the fast path's").isGreaterThan(before + 1);

        manager.get().uri("/api/v1/orgs/{org}/entitlements/someone", orgId).exchange().expectStatus().isOk();
    }

    @Test
    void manyClientsOfSeveralTenantsGetTheirOwnAnswers() throws Exception {
        String poolId = buyPool(1);
        claimAtOnce(poolId, "amy@example.com", "user-amy");
        String otherOrg = Api.newOrgId();
        WebTestClient otherManager = api.as("manager-" + otherOrg, otherOrg, "boss@" + otherOrg + ".example.com");
        otherManager.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other")).exchange()
                .expectStatus().isCreated();

        WebTestClient ourReader = reader(managerId, orgId, managerEmail);
        WebTestClient otherReader = reader("manager-" + otherOrg, otherOrg, "boss@" + otherOrg + ".example.com");
        double before = fastAnswers();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                boolean ours = client % 2 == 0;
                Callable<Integer> run = () -> {
                    for (int i = 0; i < 50; i++) {
                        if (ours) {
                            ourReader.get().uri("/api/v1/orgs/{org}/entitlements/user-amy", orgId).exchange().expectStatus().isOk()
                                    .expectBody().jsonPath("$.entitled").isEqualTo(true).jsonPath("$.seats[0].poolId").isEqualTo(poolId);
                        } else {
                            otherReader.get().uri("/api/v1/orgs/{org}/entitlements/user-amy", otherOrg).exchange().expectStatus().isOk()
                                    .expectBody().jsonPath("$.entitled").isEqualTo(false);
                            Api.problem(otherReader.get().uri("/api/v1/orgs/{org}/entitlements/user-amy", orgId).exchange(), 404, "NOT_FOUND");
                        }
                    }
                    return 50;
                };
                runs.add(clients.submit(run));
            }
            for (Future<Integer> run : runs) {
                assertThat(run.get()).isEqualTo(50);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(fastAnswers()).as("every check of a tenant's own organization answered fast").isEqualTo(before + 400);
    }

    @Test
    void livenessIsAnsweredAsTheActuatorAnswersIt() {
        double before = fastAnswers();
        EntityExchangeResult<String> fast = api.anonymous().get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(fastAnswers()).isEqualTo(before + 1);
        EntityExchangeResult<String> actuator = api.anonymous().get().uri("/actuator/health/liveness").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(fastAnswers()).isEqualTo(before + 1);

        assertThat(fast.getResponseBody()).isEqualTo(actuator.getResponseBody()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(names(fast.getResponseHeaders())).isEqualTo(names(actuator.getResponseHeaders()));
        assertThat(fast.getResponseHeaders().getContentType()).hasToString("application/vnd.spring-boot.actuator.v3+json");

        String scrape = api.anonymous().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(scrape).as("fast answers are counted with the others").contains("seatledger_http_fast_answers_total")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*uri=\"/api/v1/orgs/\\{orgId}/entitlements/\\{userId}\"}");
    }

    /**
     * A client of its own session, that names no position (the test's other clients name the last one they changed,
     * and a read at a position is answered here only when no gap below it could still be filled), with a token the
     * service has verified once.
     */
    private WebTestClient reader(String userId, String org, String email, String... roles) {
        WebTestClient reader = new Api(port).withToken(api.token(userId, org, email, roles));
        reader.get().uri("/api/v1/orgs/{org}/entitlements/someone", org).exchange().expectStatus().isOk();
        return reader;
    }

    private void claimAtOnce(String poolId, String email, String userId) {
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "immediateClaim", true, "userId", userId)).exchange().expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                manager.get().uri("/api/v1/orgs/{org}/entitlements/{user}", orgId, userId).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.entitled").isEqualTo(true));
    }

    /** A request no well-behaved client library would send (a control character in a header), written to the socket as is. */
    private String rawStatusLine(String path, String token, String extraHeader) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n" + extraHeader
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    private double fastAnswers() {
        return meters.counter("seatledger.http.fast.answers").count();
    }

    private static Set<String> names(HttpHeaders headers) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(headers.headerNames());
        names.remove(HttpHeaders.CONTENT_LENGTH);
        return names;
    }
}
