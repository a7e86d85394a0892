package io.seatledger.api.observability;

import io.micrometer.context.ContextRegistry;
import io.seatledger.api.http.RequestIds;
import io.seatledger.api.security.CallerAuthentication;
import org.slf4j.MDC;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Objects;

/**
 * Every log line written while a request is served carries its {@code requestId} and the caller's
 * {@code orgId} (MDC, which the structured formats write as fields), on whichever thread the work runs:
 * the request's Reactor context holds them and context propagation ({@code spring.reactor.context-propagation=auto})
 * restores them around each step. Runs after authentication (the organization is the token's) and before the
 * rate limits and idempotency keys (their lines carry both too).
 */
@Component
@Order(-20)
public class LogContext implements WebFilter {

    public static final String REQUEST_ID = "requestId";
    public static final String ORG_ID = "orgId";

    static {
        for (String key : List.of(REQUEST_ID, ORG_ID)) {
            ContextRegistry.getInstance().registerThreadLocalAccessor(key, () -> MDC.get(key), value -> MDC.put(key, value), () -> MDC.remove(key));
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String requestId = RequestIds.of(exchange);
        return exchange.getPrincipal()
                .filter(CallerAuthentication.class::isInstance)
                .map(principal -> Objects.requireNonNullElse(((CallerAuthentication) principal).caller().orgId(), ""))
                .defaultIfEmpty("")
                .flatMap(org -> chain.filter(exchange).contextWrite(context -> org.isEmpty()
                        ? context.put(REQUEST_ID, requestId)
                        : context.put(REQUEST_ID, requestId).put(ORG_ID, org)));
    }
}
