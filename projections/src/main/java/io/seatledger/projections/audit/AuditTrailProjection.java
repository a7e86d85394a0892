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

import java.sql.Timestamp;
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
    private final String insert;

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
        this.insert = """
                insert into %1$s.entries (position, org_id, occurred_at, actor_id, actor_roles, request_id, reason, action,
                    object_type, object_id, pool_id, seat_id, details, event_id, prev_hash, hash)
                select e.position, e.org_id, e.occurred_at, e.actor_id, e.actor_roles, e.request_id, e.reason, e.action,
                    e.object_type, e.object_id, e.pool_id, e.seat_id, e.details, e.event_id, e.prev_hash,
                    audit.entry_hash(e.prev_hash, e.position, e.org_id, e.occurred_at, e.actor_id, e.actor_roles, e.request_id,
                        e.reason, e.action, e.object_type, e.object_id, e.pool_id, e.seat_id, e.details)
                from (select ?::bigint as position, ?::text as org_id, ?::timestamptz as occurred_at, ?::text as actor_id,
                        ?::text as actor_roles, ?::text as request_id, ?::text as reason, ?::text as action, ?::text as object_type,
                        ?::text as object_id, ?::text as pool_id, ?::text as seat_id, ?::jsonb as details, ?::text as event_id,
                        (select hash from %1$s.entries where org_id = ? order by position desc limit 1) as prev_hash) e
                on conflict (position) do nothing""".formatted(schema);
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
        writes.write(insert,
                EventPosition.of(token), event.orgId(), Timestamp.from(message.getTimestamp()), audit.actorId(),
                String.join(",", audit.roles().stream().sorted().toList()), audit.requestId(), blankToNull(audit.reason()),
                event.getClass().getSimpleName(), objectType, objectId, poolId, seatId, JSON.writeValueAsString(details), message.getIdentifier(), event.orgId());
    }

    private static String text(ObjectNode node, String field, String otherwise) {
        return node.hasNonNull(field) ? node.get(field).asString() : otherwise;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
