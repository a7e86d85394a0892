package io.seatledger.api.http;

import io.seatledger.api.security.DevTokenController;
import io.seatledger.api.security.DevTokens;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures no request of the HTTP tests can cause on demand: outages, our own bugs, a production build's dev-token path. */
class ProblemMappingTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler(new ProblemResponses(JsonMapper.builder().build()), DataSize.ofMegabytes(4));
    private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/orgs/acme/usage"));

    @Test
    void outagesOfPostgresOrRedisAreUnavailable() {
        for (Throwable outage : List.of(new DataAccessResourceFailureException("connection refused"),
                new RedisConnectionFailureException("down"), new RuntimeException(new TimeoutException()))) {
            Problem problem = handler.problemFor(exchange, outage);
            assertThat(problem.status()).isEqualTo(503);
            assertThat(problem.code()).isEqualTo("UNAVAILABLE");
        }
    }

    @Test
    void aDatabaseThatShutDownOrRefusesConnectionsIsUnavailableWithRetryAfter() {
        // what Axon's event store throws when PostgreSQL shuts down under it: the driver's error, wrapped
        for (String state : List.of("57P01", "08006", "08001", "53300")) {
            Throwable outage = new org.axonframework.eventsourcing.eventstore.EventStoreException("could not load",
                    new java.sql.SQLException("terminating connection due to administrator command", state));
            assertThat(handler.problemFor(exchange, outage).status()).as(state).isEqualTo(503);
        }
        assertThat(handler.problemFor(exchange, new RuntimeException(new java.sql.SQLException("duplicate key", "23505"))).status())
                .as("a constraint violation is no outage").isEqualTo(500);
        // the commit or rollback of a command's transaction failed as PostgreSQL went away (PostgresOutageTest, once)
        assertThat(handler.problemFor(exchange, new org.springframework.transaction.TransactionSystemException("Could not roll back JDBC transaction",
                new java.sql.SQLException("This connection has been closed."))).status()).isEqualTo(503);
        assertThat(handler.problemFor(exchange, new org.springframework.transaction.CannotCreateTransactionException("Could not open JDBC Connection",
                new java.sql.SQLException("Connection is not available, request timed out"))).status()).isEqualTo(503);

        MockServerWebExchange answered = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/orgs/acme/seat-pools"));
        handler.handle(answered, new DataAccessResourceFailureException("connection refused")).block();
        assertThat(answered.getResponse().getStatusCode().value()).isEqualTo(503);
        assertThat(answered.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("2");
    }

    @Test
    void ourOwnBugsAreInternalErrorsThatRevealNothing() {
        Problem problem = handler.problemFor(exchange, new IllegalStateException("secret detail bob@example.com"));
        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.code()).isEqualTo("INTERNAL_ERROR");
        assertThat(problem.detail()).doesNotContain("secret").doesNotContain("bob@example.com").doesNotContain(RequestIds.of(exchange));
    }

    @Test
    void everyWrittenProblemNamesItsRequestAsMembersAndNotInTheDetail() {
        MockServerWebExchange failed = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/orgs/acme/usage"));
        handler.handle(failed, new IllegalStateException("bug")).block();
        String requestId = failed.getResponse().getHeaders().getFirst(RequestIds.HEADER);
        tools.jackson.databind.JsonNode body = JsonMapper.builder().build().readTree(failed.getResponse().getBodyAsString().block());
        assertThat(requestId).isNotBlank();
        assertThat(body.path("requestId").asString()).isEqualTo(requestId);
        assertThat(body.path("instance").asString()).isEqualTo("urn:uuid:" + requestId);
        assertThat(body.path("type").asString()).isEqualTo(Problem.TYPE_BASE + "internal-error");
        assertThat(body.path("detail").asString()).doesNotContain(requestId);
    }

    @Test
    void withoutDevTokensTheTokenPathDoesNotExist() {
        DevTokenController production = new DevTokenController(new StaticListableBeanFactory().getBeanProvider(DevTokens.class));
        MockServerHttpRequest local = MockServerHttpRequest.post("/api/v1/dev/tokens").remoteAddress(new InetSocketAddress("127.0.0.1", 40000)).build();
        assertThatThrownBy(() -> production.issue(new DevTokenController.TokenRequest("ann", "acme", "ann@example.com", List.of()), local))
                .isInstanceOfSatisfying(SeatLedgerException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void devTokensAreIssuedOnlyToClientsOnThisMachine(@TempDir Path dataDirectory) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("devTokens", DevTokens.inDirectory(dataDirectory, Clock.systemUTC()));
        DevTokenController controller = new DevTokenController(beans.getBeanProvider(DevTokens.class));
        DevTokenController.TokenRequest request = new DevTokenController.TokenRequest("ann", "acme", "ann@example.com", List.of("admin"));
        for (String remote : List.of("203.0.113.7", "10.0.0.8", "192.168.1.20", "::ffff:203.0.113.7")) {
            MockServerHttpRequest fromElsewhere = MockServerHttpRequest.post("/api/v1/dev/tokens").remoteAddress(new InetSocketAddress(remote, 40000)).build();
            assertThatThrownBy(() -> controller.issue(request, fromElsewhere)).as(remote)
                    .isInstanceOfSatisfying(SeatLedgerException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
        MockServerHttpRequest unknownClient = MockServerHttpRequest.post("/api/v1/dev/tokens").build();
        assertThatThrownBy(() -> controller.issue(request, unknownClient)).isInstanceOf(SeatLedgerException.class);
        for (String loopback : List.of("127.0.0.1", "::1")) {
            MockServerHttpRequest local = MockServerHttpRequest.post("/api/v1/dev/tokens").remoteAddress(new InetSocketAddress(loopback, 40000)).build();
            assertThat(controller.issue(request, local).token()).as(loopback).isNotBlank();
        }
    }
}
