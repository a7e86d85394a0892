package io.seatledger.api.config;

import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.projections.audit.AuditTrailProjection;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How the read models are built. */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfiguration {

    /**
     * A failing event handler fails its batch: the batch's writes and its token roll back together and the
     * processor retries, instead of Axon's default of logging the error and moving on past the event.
     */
    @Bean
    public ConfigurerModule projectionsFailLoudly() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(config -> PropagatingErrorHandler.instance());
    }

    /** An organization's audit chain links its events in order, whichever aggregate they came from. */
    @Bean
    public ConfigurerModule auditTrailInOrganizationOrder() {
        return configurer -> configurer.eventProcessing()
                .registerSequencingPolicy(AuditTrailProjection.PROCESSOR, config -> ByOrganization.INSTANCE);
    }

    /** Sequences events by the organization they are about. */
    enum ByOrganization implements SequencingPolicy<EventMessage<?>> {
        INSTANCE;

        @Override
        public Object getSequenceIdentifierFor(EventMessage<?> event) {
            if (event.getPayload() instanceof OrganizationEvent about) {
                return about.orgId();
            }
            throw new IllegalStateException("every event is about an organization, but not " + event.getPayloadType().getName());
        }
    }
}
