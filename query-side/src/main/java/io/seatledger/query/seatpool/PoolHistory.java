package io.seatledger.query.seatpool;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.query.Cursor;
import io.seatledger.query.Page;
import io.seatledger.query.TenantScope;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pool's history read straight from the event store (whichever it is: the JDBC store or Axon Server):
 * its raw events page by page, and its state as of any instant, folded from the events up to then.
 * The event store is read on a worker thread, never on the event loop; replays on their own bounded threads ({@link Replays}).
 */
@Component
public class PoolHistory {

    /** Fields never shown: an invitation's hash verifies its secret token. */
    private static final Set<String> SECRETS = Set.of("invitationTokenHash");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventStore events;
    private final TenantScope tenant;
    private final Replays replays;

    public PoolHistory(EventStore events, TenantScope tenant, Replays replays) {
        this.events = events;
        this.tenant = tenant;
        this.replays = replays;
    }

    public record Actor(String userId, Set<String> roles) {
    }

    public record EventMetadata(Actor actor, String requestId, String reason) {
    }

    /** One stored event; {@code globalPosition} is null until the audit trail has indexed it (milliseconds). */
    public record Entry(long sequence, Long globalPosition, String type, Instant occurredAt, ObjectNode payload, EventMetadata metadata) {
    }

    /** The pool's state rebuilt from its events that occurred at or before {@code asOf}; empty if it did not exist yet. */
    public Mono<SeatPoolView> asOf(String orgId, String poolId, Instant asOf) {
        return replays.run(orgId, () -> {
            PoolReplay replay = new PoolReplay();
            DomainEventStream stream = events.readEvents(poolId, 0);
            while (stream.hasNext()) {
                DomainEventMessage<?> event = stream.next();
                if (event.getTimestamp().isAfter(asOf)) {
                    break;
                }
                if (!belongsTo(event, orgId)) {
                    return null;
                }
                replay.apply(event.getPayload(), event.getSequenceNumber());
            }
            return replay.state();
        });
    }

    /** The pool's events after sequence {@code after} (exclusive; null for the first page), in order. */
    public Mono<Page<Entry>> events(String orgId, String poolId, Long after, Integer limit) {
        int size = Cursor.limit(limit);
        long first = after == null ? 0 : after + 1;
        return Mono.fromCallable(() -> {
                    List<DomainEventMessage<?>> page = new ArrayList<>(size + 1);
                    DomainEventStream stream = events.readEvents(poolId, first);
                    while (stream.hasNext() && page.size() <= size) {
                        DomainEventMessage<?> event = stream.next();
                        if (!belongsTo(event, orgId)) {
                            return List.<DomainEventMessage<?>>of();
                        }
                        page.add(event);
                    }
                    return page;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(page -> positions(orgId, page).map(positions -> {
                    List<Entry> entries = page.stream().map(event -> entry(event, positions.get(event.getIdentifier()))).toList();
                    return Page.of(entries, size, entry -> String.valueOf(entry.sequence()));
                }));
    }

    private Mono<Map<String, Long>> positions(String orgId, List<DomainEventMessage<?>> page) {
        if (page.isEmpty()) {
            return Mono.just(Map.of());
        }
        String[] ids = page.stream().map(DomainEventMessage::getIdentifier).toArray(String[]::new);
        return tenant.many(orgId, database -> database.sql("select event_id, position from audit.entries where org_id = :org and event_id = any(:ids)")
                        .bind("org", orgId).bind("ids", ids)
                        .map(row -> Map.entry(row.get("event_id", String.class), row.get("position", Long.class))).all())
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
    }

    private static Entry entry(DomainEventMessage<?> event, Long position) {
        ObjectNode payload = JSON.valueToTree(event.getPayload());
        payload.remove(SECRETS);
        AuditMetadata audit = AuditMetadata.from(event.getMetaData());
        String reason = audit.reason() == null || audit.reason().isBlank() ? null : audit.reason();
        return new Entry(event.getSequenceNumber(), position, event.getPayloadType().getSimpleName(), event.getTimestamp(), payload,
                new EventMetadata(new Actor(audit.actorId(), audit.roles()), audit.requestId(), reason));
    }

    private static boolean belongsTo(DomainEventMessage<?> event, String orgId) {
        return event.getPayload() instanceof OrganizationEvent about && about.orgId().equals(orgId);
    }
}
