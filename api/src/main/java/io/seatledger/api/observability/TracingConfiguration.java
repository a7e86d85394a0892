package io.seatledger.api.observability;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Traces through Axon: commands and events carry the trace of the request that caused them ({@link MessageTraces},
 * also the correlation data every caused message inherits), and every event processor handles a traced event in a
 * span of that trace ({@link TracedHandling}, named after the processor). The command bus is traced in MessagingSetup.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    @Bean
    public MessageTraces messageTraces(Tracer tracer, Propagator propagator) {
        return new MessageTraces(tracer, propagator);
    }

    @Bean
    public ConfigurerModule tracedEventProcessors(Tracer tracer, Propagator propagator) {
        return configurer -> configurer.eventProcessing()
                .registerDefaultHandlerInterceptor((config, processor) -> new TracedHandling<EventMessage<?>>(tracer, propagator, processor));
    }
}
