package io.seatledger.api.http;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Returns the request's trace in {@value #HEADER} (W3C: version, trace id, the id of the span that served the request,
 * whether it is sampled), on every answer: a client that sent its own {@code traceparent} finds its trace id again, one
 * that did not learns the trace to quote. The span is the one the HTTP observation started from the request's
 * {@code traceparent} (a malformed one starts a new trace); a problem names its trace id too ({@link ProblemResponses}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class TraceIds implements WebFilter {

    public static final String HEADER = "traceparent";

    /** The trace id of the request's span; null when the request is not traced. */
    public static String of(ServerWebExchange exchange) {
        TraceContext context = contextOf(exchange);
        return context == null ? null : context.traceId();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        TraceContext context = contextOf(exchange);
        if (context != null) {
            exchange.getResponse().getHeaders().set(HEADER,
                    "00-" + context.traceId() + "-" + context.spanId() + (Boolean.TRUE.equals(context.sampled()) ? "-01" : "-00"));
        }
        return chain.filter(exchange);
    }

    private static TraceContext contextOf(ServerWebExchange exchange) {
        ServerRequestObservationContext observation = ServerRequestObservationContext.findCurrent(exchange.getAttributes()).orElse(null);
        TracingObservationHandler.TracingContext tracing = observation == null ? null : observation.get(TracingObservationHandler.TracingContext.class);
        Span span = tracing == null ? null : tracing.getSpan();
        return span == null ? null : span.context();
    }
}
