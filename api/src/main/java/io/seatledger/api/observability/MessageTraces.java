package io.seatledger.api.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Carries the trace of a request into the messages it causes, as a W3C {@value #KEY} in their metadata: a command
 * sent while a span is current is stamped with it (dispatch), and every event and command a handler causes inherits
 * the handler's own span (correlation data), so that {@link TracedHandling} continues the trace wherever the message
 * is handled. A deadline fires on its own: what it causes starts no trace of the request that scheduled it.
 */
public class MessageTraces implements MessageDispatchInterceptor<CommandMessage<?>>, CorrelationDataProvider {

    /** The metadata key: the header's own name, short, and read by any W3C propagator as it is. */
    public static final String KEY = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    public MessageTraces(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            if (command.getMetaData().containsKey(KEY)) {
                return command;
            }
            String traceparent = current();
            return traceparent == null ? command : command.andMetaData(Map.of(KEY, traceparent));
        };
    }

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        if (message instanceof DeadlineMessage<?>) {
            return Map.of();
        }
        String traceparent = current();
        if (traceparent == null && message.getMetaData().get(KEY) instanceof String inherited) {
            traceparent = inherited;
        }
        return traceparent == null ? Map.of() : Map.of(KEY, traceparent);
    }

    /** The current span as a {@value #KEY} value; null without one. */
    private String current() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(KEY);
    }
}
