package io.seatledger.projections.audit;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.CanonicalJson;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.projections.BatchedWrites;
import io.seatledger.projections.EventPosition;
import io.seatledger.projections.FailureIsolation;
import io.seatledger.projections.ReadModelSchema;
import io.seatledger.projections.SavepointPerEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * {@code audit.entries}: who did what to which object, when, in which request and why, one entry per event. Each
 * entry is chained within the aggregate that recorded its event, by that aggregate's own sequence number: an
 * aggregate's events always arrive in sequence order, so the chain is the same however commits interleave and on
 * every rebuild. Hashes are computed here, a batch at a time ({@link AuditAppender}), by the definition an offline
 * verifier uses too (audit-format).
 */
@Component
@SavepointPerEvent
@ProcessingGroup(AuditTrailProjection.PROCESSOR)
public class AuditTrailProjection {

    public static final String PROCESSOR = "audit-trail";

    /** Fields kept out of the trail: an invitation's hash verifies its secret token. */
    private static final List<String> SECRETS = List.of("invitationTokenHash");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BatchedWrites writes;
    private final AuditAppender append;

    @Autowired
    public AuditTrailProjection(JdbcTemplate jdbc, FailureIsolation isolation) {
        this(jdbc, ReadModelSchema.AUDIT, isolation);
    }

    /**
     * A projection writing the entries of {@code schema}: the live trail, or a rebuild's shadow of it
     * ({@code isolation} null: a rebuild never isolates events, it fails as a whole).
     */
    public AuditTrailProjection(JdbcTemplate jdbc, String schema, FailureIsolation isolation) {
        this.writes = new BatchedWrites(jdbc, isolation, PROCESSOR);
        this.append = new AuditAppender(jdbc, writes, schema);
    }

    @EventHandler
    void on(OrganizationEvent event, EventMessage<?> message, TrackingToken token) {
        if (!(message instanceof DomainEventMessage<?> recorded)) {
            throw new IllegalStateException("every audited event is recorded by an aggregate, but not " + message.getPayloadType().getName());
        }
        AuditMetadata audit = AuditMetadata.from(message.getMetaData());
        ObjectNode details = JSON.valueToTree(event);
        details.remove(SECRETS);
        String seatId = text(details, "seatId", text(details, "fromSeatId", null));
        String poolId = text(details, "poolId", null);
        String objectType = seatId != null ? "seat" : poolId != null ? "seat_pool" : "organization";
        String objectId = seatId != null ? seatId : poolId != null ? poolId : event.orgId();
        CanonicalEntry entry = new CanonicalEntry(EventPosition.of(token), event.orgId(), recorded.getAggregateIdentifier(),
                recorded.getSequenceNumber(), CanonicalEntry.storedInstant(message.getTimestamp()), audit.actorId(),
                String.join(",", audit.roles().stream().sorted().toList()), audit.requestId(), blankToNull(audit.reason()),
                event.getClass().getSimpleName(), objectType, objectId, poolId, seatId, CanonicalJson.of(details), null, null);
        writes.writeBatched(append, new AuditAppender.Append(entry, message.getIdentifier()));
    }

    private static String text(ObjectNode node, String field, String otherwise) {
        return node.hasNonNull(field) ? node.get(field).asString() : otherwise;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
