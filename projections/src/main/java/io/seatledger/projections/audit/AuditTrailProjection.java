package io.seatledger.projections.audit;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.projections.EventPosition;
import io.seatledger.projections.BatchedWrites;
import io.seatledger.projections.FailureIsolation;
import io.seatledger.projections.ReadModelSchema;
import io.seatledger.projections.SavepointPerEvent;
import org.axonframework.config.ProcessingGroup;
import org.springframework.beans.factory.annotation.Autowired;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * {@code audit.entries}: who did what to which object, when, in which request and why, one entry per event,
 * each hashed together with the previous entry of its organization. The processor receives an
 * organization's events in order (sequenced by organization), so the chain is the same on every rebuild.
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
    private final BatchedWrites.Rows append;

    @Autowired
    public AuditTrailProjection(JdbcTemplate jdbc, FailureIsolation isolation) {
        this(jdbc, ReadModelSchema.AUDIT, isolation);
    }

    /**
     * A projection writing the entries of {@code schema}: the live trail, or a rebuild's shadow of it
     * ({@code isolation} null: a rebuild never isolates events, it fails as a whole).
     */
    public AuditTrailProjection(JdbcTemplate jdbc, String schema, FailureIsolation isolation) {
        this.writes = new BatchedWrites(jdbc, isolation);
        // schema names are ours (live or shadow), never input
        this.append = new BatchedWrites.Rows("call audit.append_entries('" + schema + "', ?::bigint[], ?::text[], ?::timestamptz[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::jsonb[], ?::text[])", 14);
    }

    @EventHandler
    void on(OrganizationEvent event, EventMessage<?> message, TrackingToken token) {
        AuditMetadata audit = AuditMetadata.from(message.getMetaData());
        ObjectNode details = JSON.valueToTree(event);
        details.remove(SECRETS);
        String seatId = text(details, "seatId", text(details, "fromSeatId", null));
        String poolId = text(details, "poolId", null);
        String objectType = seatId != null ? "seat" : poolId != null ? "seat_pool" : "organization";
        String objectId = seatId != null ? seatId : poolId != null ? poolId : event.orgId();
        writes.writeRow(append,
                EventPosition.of(token), event.orgId(), message.getTimestamp(), audit.actorId(),
                String.join(",", audit.roles().stream().sorted().toList()), audit.requestId(), blankToNull(audit.reason()),
                event.getClass().getSimpleName(), objectType, objectId, poolId, seatId, JSON.writeValueAsString(details), message.getIdentifier());
    }

    private static String text(ObjectNode node, String field, String otherwise) {
        return node.hasNonNull(field) ? node.get(field).asString() : otherwise;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
