package io.seatledger.api.http;

import io.seatledger.messages.common.ErrorCode;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;

/**
 * Writes problems straight to a response, for the layers that answer before any controller (security, filters).
 * Every 503 tells the client when to retry ({@code Retry-After}), unless its writer already did. Every problem
 * written here names its request ({@code requestId}, {@code instance}) and its trace ({@code traceId}): the one place
 * all writers share.
 */
@Component
public class ProblemResponses {

    /** When a client should retry a 503 that names no time of its own: a store's restart or failover takes seconds. */
    static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(2);

    private final JsonMapper json;

    public ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public Mono<Void> write(ServerWebExchange exchange, Problem problem) {
        return write(exchange.getResponse(), problem, RequestIds.of(exchange), TraceIds.of(exchange));
    }

    /** The same answer for a response outside a WebFlux exchange (the fast read path), which names its request and trace itself. */
    public Mono<Void> write(ServerHttpResponse response, Problem problem, String requestId, String traceId) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(HttpStatusCode.valueOf(problem.status()));
        if (problem.status() == ErrorCode.UNAVAILABLE.httpStatus() && !response.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(UNAVAILABLE_RETRY_AFTER.toSeconds()));
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(problem.forRequest(requestId, traceId));
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    public Mono<Void> write(ServerWebExchange exchange, ErrorCode code, String detail) {
        return write(exchange, Problem.of(code, detail));
    }

    /** 429 with {@code Retry-After} in whole seconds, rounded up. */
    public Mono<Void> rateLimited(ServerWebExchange exchange, Duration retryAfter) {
        return rateLimited(exchange.getResponse(), RequestIds.of(exchange), TraceIds.of(exchange), retryAfter);
    }

    public Mono<Void> rateLimited(ServerHttpResponse response, String requestId, String traceId, Duration retryAfter) {
        long seconds = retryAfter(response.getHeaders(), retryAfter);
        return write(response, Problem.of(ErrorCode.RATE_LIMITED, "rate limit reached; retry in " + seconds + " s"), requestId, traceId);
    }

    /** Sets {@code Retry-After} in whole seconds, at least one; returns them. */
    public long retryAfter(ServerWebExchange exchange, Duration retryAfter) {
        return retryAfter(exchange.getResponse().getHeaders(), retryAfter);
    }

    private static long retryAfter(HttpHeaders headers, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        return seconds;
    }
}
