package io.seatledger.api.http;

import io.seatledger.api.security.DevTokenController;
import io.seatledger.api.security.DevTokens;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

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
    void ourOwnBugsAreInternalErrorsThatRevealNothing() {
        Problem problem = handler.problemFor(exchange, new IllegalStateException("secret detail bob@example.com"));
        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.code()).isEqualTo("INTERNAL_ERROR");
        assertThat(problem.detail()).doesNotContain("secret").doesNotContain("bob@example.com").contains(RequestIds.of(exchange));
    }

    @Test
    void withoutDevTokensTheTokenPathDoesNotExist() {
        DevTokenController production = new DevTokenController(new StaticListableBeanFactory().getBeanProvider(DevTokens.class));
        assertThatThrownBy(() -> production.issue(new DevTokenController.TokenRequest("ann", "acme", "ann@example.com", List.of())))
                .isInstanceOfSatisfying(SeatLedgerException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
