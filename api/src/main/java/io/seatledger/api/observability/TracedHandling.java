package io.seatledger.api.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Handles a message that carries a trace ({@link MessageTraces#KEY}) in a child span of it, named after the handler
 * ({@code command}, or the event processor) and the message's type, and current while the handler runs: its log lines,
 * its calls (Stripe) and the messages it causes belong to the trace. A message without a trace is handled as before,
 * at no cost; whether the span is recorded follows the parent's sampling decision.
 */
public class TracedHandling<T extends Message<?>> implements MessageHandlerInterceptor<T> {

    private final Tracer tracer;
    private final Propagator propagator;
    private final String handler;

    public TracedHandling(Tracer tracer, Propagator propagator, String handler) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.handler = handler;
    }

    @Override
    public Object handle(UnitOfWork<? extends T> unitOfWork, InterceptorChain chain) throws Exception {
        Message<?> message = unitOfWork.getMessage();
        if (!(message.getMetaData().get(MessageTraces.KEY) instanceof String traceparent)) {
            return chain.proceed();
        }
        Span span = propagator.extract(traceparent, (carrier, key) -> MessageTraces.KEY.equals(key) ? carrier : null)
                .name(handler + " " + message.getPayloadType().getSimpleName())
                .kind(Span.Kind.CONSUMER)
                .start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            return chain.proceed();
        } catch (Exception | Error failure) {
            span.error(failure);
            throw failure;
        } finally {
            span.end();
        }
    }
}
