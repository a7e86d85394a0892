package io.seatledger.api.http;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Gives every request an id of ours, returned in {@value #HEADER}: it travels with the request's commands into
 * every event and audit entry, and into every problem ({@code requestId}). A client's own header is not taken over: the write
 * model treats a repeated request id as a retry, which only an idempotency key may ask for.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIds implements WebFilter {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestIds.class.getName();

    public static String of(ServerWebExchange exchange) {
        String id = exchange.getAttribute(ATTRIBUTE);
        return id == null ? assign(exchange) : id;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        assign(exchange);
        return chain.filter(exchange);
    }

    /** A new request id (for answers given outside a WebFlux exchange, which set {@value #HEADER} themselves). */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    private static String assign(ServerWebExchange exchange) {
        String id = newId();
        exchange.getAttributes().put(ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(HEADER, id);
        return id;
    }
}
