package io.seatledger.projections;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.OrganizationEvent;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events handed to projections as their tracking processor hands them, without Axon running: each one recorded by
 * an aggregate (its own gap-free sequence), at the next global position of the JVM (positions key the audit trail,
 * so no two events of a run share one), with the actor's audit metadata; a batch is handled in one unit of work
 * whose writes go out when it commits. A redelivery or a replay is the same message delivered again.
 */
public final class EventFeed {

    private static final AtomicLong POSITIONS = new AtomicLong();

    private final AuditMetadata actor;
    private final Map<String, Long> sequences = new HashMap<>();

    public EventFeed(String orgId) {
        this.actor = new AuditMetadata("user-manager", Set.of("seat-manager", "billing-admin"), "request-" + orgId, "on request", orgId);
    }

    /** {@code event} as the next one {@code aggregateId} records, at the next global position. */
    public TrackedEventMessage<?> recorded(String aggregateId, OrganizationEvent event) {
        long sequence = sequences.merge(aggregateId, 1L, Long::sum) - 1;
        return at(aggregateId, sequence, event);
    }

    /** {@code event} at {@code sequence} of {@code aggregateId}, whatever came before (a gap, or a sequence already taken). */
    public TrackedEventMessage<?> at(String aggregateId, long sequence, OrganizationEvent event) {
        GenericDomainEventMessage<OrganizationEvent> recorded = new GenericDomainEventMessage<>(event.getClass().getSimpleName(), aggregateId,
                sequence, event, actor.asMap(), java.util.UUID.randomUUID().toString(), Instant.now());
        return new GenericTrackedDomainEventMessage<>(new GlobalSequenceTrackingToken(POSITIONS.incrementAndGet()), recorded);
    }

    /** Handles each batch in its own unit of work, in order, as the processor does; a batch that fails throws. */
    @SafeVarargs
    public static void deliver(Object projection, List<? extends TrackedEventMessage<?>>... batches) {
        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(projection);
        for (List<? extends TrackedEventMessage<?>> batch : batches) {
            BatchingUnitOfWork<TrackedEventMessage<?>> unit = new BatchingUnitOfWork<>(List.copyOf(batch));
            ResultMessage<Object> result = unit.executeWithResult(() -> handlers.handle(unit.getMessage()));
            if (result.isExceptional()) {
                throw result.exceptionResult() instanceof RuntimeException failure ? failure : new IllegalStateException(result.exceptionResult());
            }
        }
    }

    /** Each event in a batch of its own. */
    public static void deliverOneByOne(Object projection, TrackedEventMessage<?>... events) {
        for (TrackedEventMessage<?> event : events) {
            deliver(projection, List.of(event));
        }
    }
}
