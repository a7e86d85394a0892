package io.seatledger.client;

import io.seatledger.client.model.AssignSeat;
import io.seatledger.client.model.PoolStatus;
import io.seatledger.client.model.Seat;
import io.seatledger.client.model.SeatPool;
import io.seatledger.client.model.SeatStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.seatledger.client.FakeService.Answer.json;
import static io.seatledger.client.FakeService.Answer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's contract with the service: retries, idempotency keys, problems, read-your-writes, request shapes. */
class SeatLedgerClientTest {

    static final String ORG = "org-1";
    static final String POOL = "11111111-1111-1111-1111-111111111111";
    static final String SEAT_PATH = "/orgs/org-1/seat-pools/" + POOL + "/seats";
    static final String SEAT = "{\"seatId\":\"s-1\",\"poolId\":\"" + POOL + "\",\"orgId\":\"org-1\",\"status\":\"pending\",\"email\":\"a@example.com\","
            + "\"holderUserId\":null,\"metadata\":{},\"invitation\":{\"token\":\"tok\",\"expiresAt\":\"2030-01-01T00:00:00Z\",\"claimUrl\":\"u\"},"
            + "\"someFutureField\":1}";

    FakeService service;
    List<Duration> waits = new CopyOnWriteArrayList<>();
    AtomicInteger tokens = new AtomicInteger();
    SeatLedgerClient client;

    @BeforeEach
    void start() throws IOException {
        service = new FakeService();
        client = client(RetryPolicy.defaults(), true);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void aRefusedCommandIsRetriedAfterRetryAfterWithTheSameIdempotencyKeyAndAFreshToken() {
        service.on("POST", SEAT_PATH, problem(503, "UNAVAILABLE", Map.of("Retry-After", "3")), json(201, SEAT));

        Seat seat = client.pools(ORG).assign(POOL, AssignSeat.invite("a@example.com"));

        assertThat(seat.seatId()).isEqualTo("s-1");
        assertThat(seat.status()).isEqualTo(SeatStatus.PENDING);
        List<FakeService.Seen> attempts = service.requests("POST", SEAT_PATH);
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).header("Idempotency-Key")).isNotBlank().isEqualTo(attempts.get(1).header("Idempotency-Key"));
        assertThat(attempts).extracting(attempt -> attempt.header("Authorization")).containsExactly("Bearer token-1", "Bearer token-2");
        assertThat(waits).as("the service's Retry-After, longer than any backoff of the policy").containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void twoLogicalCallsHaveTwoKeysAndTheBodyIsTheContractsJson() {
        service.on("POST", SEAT_PATH, json(201, SEAT));

        client.pools(ORG).assign(POOL, AssignSeat.invite("a@example.com"));
        client.pools(ORG).assign(POOL, AssignSeat.claimedBy("b@example.com", "user-b"));

        List<FakeService.Seen> calls = service.requests("POST", SEAT_PATH);
        assertThat(calls.get(0).header("Idempotency-Key")).isNotEqualTo(calls.get(1).header("Idempotency-Key"));
        assertThat(calls.get(0).body()).isEqualTo("{\"email\":\"a@example.com\"}");
        assertThat(calls.get(1).body()).isEqualTo("{\"email\":\"b@example.com\",\"immediateClaim\":true,\"userId\":\"user-b\"}");
        assertThat(calls.get(0).header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void rateLimitingBeyondTheAttemptsIsThrownAsATypedProblemAfterBackingOffBetweenAttempts() {
        service.on("GET", "/orgs/org-1/usage", problem(429, "RATE_LIMITED", Map.of("Retry-After", "1")));

        assertThatThrownBy(() -> client.entitlements(ORG).usage())
                .isInstanceOfSatisfying(SeatLedgerProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.RATE_LIMITED);
                    assertThat(problem.status()).isEqualTo(429);
                    assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(problem.requestId()).isEqualTo("req-1");
                });
        assertThat(service.requests("GET", "/orgs/org-1/usage")).hasSize(RetryPolicy.defaults().maxAttempts());
        assertThat(waits).hasSize(RetryPolicy.defaults().maxAttempts() - 1).allSatisfy(wait -> assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void aRetryAfterLongerThanThePolicyAllowsIsNotWaitedFor() {
        service.on("GET", "/orgs/org-1/usage", problem(503, "UNAVAILABLE", Map.of("Retry-After", "3600")));

        assertThatThrownBy(() -> client.entitlements(ORG).usage()).isInstanceOf(SeatLedgerProblem.class);
        assertThat(service.requests("GET", "/orgs/org-1/usage")).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void businessRefusalsAndFailuresOfTheServiceAreNotRetried() {
        service.on("POST", SEAT_PATH, new FakeService.Answer(409, Map.of("Content-Type", "application/problem+json"),
                "{\"status\":409,\"code\":\"SEAT_ALREADY_ASSIGNED\",\"detail\":\"taken\",\"requestId\":\"r-9\",\"errors\":[{\"field\":\"email\",\"message\":\"dup\"}]}"));
        service.on("DELETE", SEAT_PATH + "/s-1", new FakeService.Answer(500, Map.of("Content-Type", "application/problem+json"),
                "{\"status\":500,\"code\":\"INTERNAL_ERROR\",\"requestId\":\"r-10\"}"));
        service.on("GET", SEAT_PATH + "/s-1", new FakeService.Answer(502, Map.of("Content-Type", "text/html"), "<html>bad gateway</html>"));

        assertThatThrownBy(() -> client.pools(ORG).assign(POOL, AssignSeat.invite("a@example.com")))
                .isInstanceOfSatisfying(SeatLedgerProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.SEAT_ALREADY_ASSIGNED);
                    assertThat(problem.detail()).isEqualTo("taken");
                    assertThat(problem.requestId()).isEqualTo("r-9");
                    assertThat(problem.errors()).containsExactly(new SeatLedgerProblem.FieldError("email", "dup"));
                });
        assertThatThrownBy(() -> client.pools(ORG).revoke(POOL, "s-1"))
                .isInstanceOfSatisfying(SeatLedgerProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.UNKNOWN);
                    assertThat(problem.rawCode()).isEqualTo("INTERNAL_ERROR");
                });
        assertThatThrownBy(() -> client.pools(ORG).seat(POOL, "s-1"))
                .isInstanceOfSatisfying(SeatLedgerProblem.class, problem -> assertThat(problem.code()).isEqualTo(ProblemCode.UNAVAILABLE));
        assertThat(service.seen).hasSize(3);
        assertThat(waits).isEmpty();
    }

    @Test
    void connectionFailuresAreRetriedUpToTheAttemptsAndThenReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SeatLedgerClient unreachable = SeatLedgerClient.builder().baseUrl("http://127.0.0.1:" + closedPort).tokens(() -> "t")
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1))).sleeper(waits::add).build();

        assertThatThrownBy(() -> unreachable.pools(ORG).assign(POOL, AssignSeat.invite("a@example.com")))
                .isInstanceOfSatisfying(SeatLedgerUnreachable.class, failure -> assertThat(failure.attempts()).isEqualTo(3));
        assertThat(waits).hasSize(2).allSatisfy(wait -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofMillis(40)));
    }

    @Test
    void readsOfAnOrganizationSendTheHighestPositionItsCommandsWereAnsweredWith() {
        service.on("POST", SEAT_PATH, new FakeService.Answer(201, Map.of("Content-Type", "application/json", "Seat-Ledger-Position", "42"), SEAT),
                new FakeService.Answer(201, Map.of("Content-Type", "application/json", "Seat-Ledger-Position", "17"), SEAT));
        service.on("GET", SEAT_PATH + "/s-1", json(200, SEAT));
        service.on("GET", "/orgs/org-2/usage", json(200, "{\"capacity\":1,\"pending\":0,\"claimed\":0,\"available\":1,\"pools\":1}"));
        service.on("GET", "/invitations/tok", json(200, "{\"orgName\":\"Acme\",\"poolId\":\"p\",\"canClaim\":true}"));

        client.pools(ORG).assign(POOL, AssignSeat.invite("a@example.com"));
        client.pools(ORG).assign(POOL, AssignSeat.invite("b@example.com"));
        client.pools(ORG).seat(POOL, "s-1");
        client.entitlements("org-2").usage();
        client.invitations().preview("tok");

        assertThat(client.position(ORG)).as("an older answer does not lower it").isEqualTo(42);
        assertThat(service.requests("GET", SEAT_PATH + "/s-1").get(0).header("Seat-Ledger-Position")).isEqualTo("42");
        assertThat(service.requests("GET", "/orgs/org-2/usage").get(0).header("Seat-Ledger-Position")).as("another organization").isNull();
        assertThat(service.requests("GET", "/invitations/tok").get(0).header("Seat-Ledger-Position"))
                .as("a read naming no organization waits for every write of this client").isEqualTo("42");
        assertThat(service.requests("POST", SEAT_PATH)).allSatisfy(command -> assertThat(command.header("Seat-Ledger-Position")).isNull());

        SeatLedgerClient without = client(RetryPolicy.defaults(), false);
        without.pools(ORG).assign(POOL, AssignSeat.invite("c@example.com"));
        without.pools(ORG).seat(POOL, "s-1");
        assertThat(service.requests("GET", SEAT_PATH + "/s-1").get(1).header("Seat-Ledger-Position")).as("read-your-writes turned off").isNull();
    }

    @Test
    void idsInThePathAreEncodedAndListingsPassTheirFilters() {
        service.on("GET", "/orgs/org-1/entitlements/user%20with%2Fslash", json(200, "{\"userId\":\"user with/slash\",\"entitled\":true,"
                + "\"seats\":[{\"poolId\":\"p\",\"seatId\":\"s\"}]}"));
        service.on("GET", "/orgs/org-1/seat-pools", json(200, "{\"items\":[{\"poolId\":\"p\",\"status\":\"suspended\",\"kind\":\"subscription\","
                + "\"capacity\":3}],\"next\":\"c2\"}"));

        assertThat(client.entitlements(ORG).of("user with/slash").entitled()).isTrue();
        var page = client.pools(ORG).list(PoolStatus.ACTIVE, "c1", 50);

        assertThat(page.items()).extracting(SeatPool::status).containsExactly(PoolStatus.SUSPENDED);
        assertThat(page.next()).isEqualTo("c2");
        assertThat(service.requests("GET", "/orgs/org-1/seat-pools").get(0).query()).isEqualTo("status=active&cursor=c1&limit=50");
    }

    @Test
    void anUnknownEnumValueOfANewerServiceIsReadAsUnknown() {
        service.on("GET", "/orgs/org-1/seat-pools/p", json(200, "{\"poolId\":\"p\",\"status\":\"frozen\",\"kind\":\"lease\"}"));

        SeatPool pool = client.pools(ORG).get("p");

        assertThat(pool.status()).isEqualTo(PoolStatus.UNKNOWN);
    }

    @Test
    void aBulkAssignmentIsSentAsNdjsonWithItsAtomicity() {
        service.on("POST", SEAT_PATH + "/bulk", json(200, "{\"assigned\":[{\"seatId\":\"s\",\"email\":\"a@example.com\",\"status\":\"pending\"}],"
                + "\"rejected\":[{\"index\":1,\"email\":\"bad\",\"code\":\"VALIDATION_FAILED\"}]}"));

        var result = client.pools(ORG).assignAll(POOL, List.of(AssignSeat.invite("a@example.com"), AssignSeat.invite("bad")), false);

        assertThat(result.rejected()).singleElement().satisfies(rejected -> assertThat(rejected.code()).isEqualTo("VALIDATION_FAILED"));
        FakeService.Seen sent = service.requests("POST", SEAT_PATH + "/bulk").get(0);
        assertThat(sent.header("Content-Type")).isEqualTo("application/x-ndjson");
        assertThat(sent.query()).isEqualTo("atomic=false");
        assertThat(sent.body()).isEqualTo("{\"email\":\"a@example.com\"}\n{\"email\":\"bad\"}\n");
        assertThat(sent.header("Idempotency-Key")).isNotBlank();
    }

    private SeatLedgerClient client(RetryPolicy retries, boolean readYourWrites) {
        return SeatLedgerClient.builder().baseUrl(service.baseUrl()).tokens(() -> "token-" + tokens.incrementAndGet())
                .retryPolicy(retries).readYourWrites(readYourWrites).sleeper(waits::add).build();
    }
}
