package io.seatledger.api.config.writemodel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.seatledger.api.consistency.CommandPositions;
import io.seatledger.api.observability.CommandMetrics;
import io.seatledger.api.observability.MessageTraces;
import io.seatledger.api.observability.TracedHandling;
import io.seatledger.command.organization.CommandAuthority;
import io.seatledger.command.rejection.RejectionTranslation;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;

/** What must happen to Axon's messaging once its beans exist. */
@Component
class MessagingSetup {

    MessagingSetup(CommandBus commandBus, DeadlineManager deadlineManager, List<CorrelationDataProvider> correlationDataProviders,
                   EventStore eventStore, Clock clock, MeterRegistry meters, MessageTraces traces, Tracer tracer, Propagator propagator,
                   CommandPositions positions) {
        // A command sent while a span is current carries its trace, wherever the command is handled.
        commandBus.registerDispatchInterceptor(traces);
        // Outermost first: the command's span covers all its handling; the metrics see every outcome; a rejection
        // raised by the authority check is translated too.
        commandBus.registerHandlerInterceptor(new TracedHandling<CommandMessage<?>>(tracer, propagator, "command"));
        commandBus.registerHandlerInterceptor(new CommandMetrics(meters));
        commandBus.registerHandlerInterceptor(new RejectionTranslation());
        commandBus.registerHandlerInterceptor(new CommandAuthority(orgId -> eventStore.readEvents(orgId, 0), eventStore::lastSequenceNumberFor));
        // A request's command notes the position of its last event in its own transaction, for the answer.
        commandBus.registerHandlerInterceptor(positions.notingInTransaction());
        // Events applied when a deadline fires inherit its metadata (the system as actor, the reason), as command events do.
        deadlineManager.registerHandlerInterceptor(new CorrelationDataInterceptor<>(correlationDataProviders));
        // Event timestamps come from the same injectable clock as the business time.
        GenericEventMessage.clock = clock;
    }
}
