package io.seatledger.projections;

import io.seatledger.messages.common.OrganizationEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;

/**
 * Sequences events by the organization they are about: one segment sees all of an organization's events,
 * in order. The audit trail hands them to the live feed in that order (its chains need only each aggregate's
 * events in order, which this gives too), and per-organization usage is recounted without racing another segment.
 */
public enum ByOrganization implements SequencingPolicy<EventMessage<?>> {
    INSTANCE;

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        if (event.getPayload() instanceof OrganizationEvent about) {
            return about.orgId();
        }
        throw new IllegalStateException("every event is about an organization, but not " + event.getPayloadType().getName());
    }
}
