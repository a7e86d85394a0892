package io.seatledger.api.webhook;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.seatledger.api.webhook.WebhookEndpoints.instant;

/**
 * The deliveries of events to endpoints ({@code webhooks.deliveries}) and their attempts. A delivery is taken for an
 * attempt by a lease (any instance may take any delivery; a dead instance's lease runs out), and only when nothing
 * before it with the same order key (its seat, or its pool) is still pending for the same endpoint: a seat's
 * messages arrive in the order they happened. Outcomes are recorded only under the lease that made the attempt.
 * Every statement that makes a delivery pending, or ends one, also moves its endpoint's count of pending deliveries
 * ({@code pending_deliveries}, which bounds its backlog), in the same statement. A delivery waiting behind an earlier
 * one of its order key is not due before it: it is made, and moved on when the earlier one fails, with the earlier
 * one's next attempt, so that the deliveries due first are nearly all ones that can be sent.
 */
public class WebhookDeliveries {

    /** A delivery as the endpoint's owner sees it. */
    @Schema(name = "WebhookDelivery")
    public record Delivery(String deliveryId, String eventType, long position, String status, int attempts, Integer lastStatus, String lastError,
                           Instant createdAt, Instant lastAttemptAt, Instant nextAttemptAt, Instant deliveredAt) {
    }

    /** A page of deliveries, newest first; {@code next} is the cursor of the following page, null on the last. */
    @Schema(name = "WebhookDeliveryPage")
    public record Page(List<Delivery> items, String next) {
    }

    /** A delivery due for an attempt, with what sending it needs. */
    record Due(String deliveryId, String endpointId, String orgId, String url, long position, int rank, String eventType, Instant occurredAt,
               String body, int attempts, Instant firstAttemptAt, String traceparent) {
    }

    /**
     * The due deliveries of one endpoint looked at per pick, in the order they fell due: a pick's work does not grow
     * with a backlog, and deliveries waiting behind one in flight hold the others of their endpoint back only while it is.
     */
    static final int LOOKED_AT_PER_ENDPOINT = 100;

    private final JdbcTemplate jdbc;

    public WebhookDeliveries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a delivery to make (once: the same event for the same endpoint is recorded only once), with the trace
     * of the event ({@code traceparent}, null for an untraced one); false, recording nothing, when the endpoint has
     * {@code maxPending} pending deliveries already.
     */
    boolean create(String endpointId, String orgId, long position, int rank, String eventType, String orderKey, Instant occurredAt, String traceparent,
                   Instant now, int maxPending) {
        if (jdbc.update("update webhooks.endpoints set pending_deliveries = pending_deliveries + 1 where endpoint_id = ? and pending_deliveries < ?",
                endpointId, maxPending) == 0) {
            return false;
        }
        int created = jdbc.update("""
                        insert into webhooks.deliveries (delivery_id, endpoint_id, org_id, position, rank, event_type, order_key, occurred_at, created_at,
                                                         next_attempt_at, traceparent)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?,
                                greatest(?, (select p.next_attempt_at from webhooks.deliveries p
                                             where p.endpoint_id = ? and p.order_key = ? and p.status = 'pending'
                                             order by p.position desc, p.rank desc limit 1)), ?)
                        on conflict (endpoint_id, position, rank) do nothing""",
                "msg_" + UUID.randomUUID().toString().replace("-", ""), endpointId, orgId, position, rank, eventType, orderKey, Timestamp.from(occurredAt),
                Timestamp.from(now), Timestamp.from(now), endpointId, orderKey, traceparent);
        if (created == 0) {
            // recorded before: it is counted already
            jdbc.update("update webhooks.endpoints set pending_deliveries = pending_deliveries - 1 where endpoint_id = ?", endpointId);
        }
        return true;
    }

    /**
     * Deliveries due now to enabled endpoints, each the first pending one of its order key: at most
     * {@code perEndpoint} of each endpoint (looked up endpoint by endpoint among its {@value #LOOKED_AT_PER_ENDPOINT}
     * due first, so that no backlog is read past them), at most {@code perOrganization} per organization, none of the
     * endpoints and organizations that hold all their attempts already, the longest waiting first.
     */
    List<Due> due(Instant now, int perEndpoint, int perOrganization, int limit, Set<String> busyEndpoints, Set<String> busyOrganizations) {
        Timestamp at = Timestamp.from(now);
        return jdbc.query(connection -> {
            var query = connection.prepareStatement("""
                    select * from (
                        select d.*, e.url, row_number() over (partition by e.org_id order by d.next_attempt_at, d.position, d.rank) as nth_of_organization
                        from webhooks.endpoints e
                        cross join lateral (
                            select * from (
                                select d.delivery_id, d.endpoint_id, d.org_id, d.position, d.rank, d.event_type, d.order_key, d.occurred_at, d.body,
                                       d.attempts, d.first_attempt_at, d.next_attempt_at, d.leased_until, d.traceparent
                                from webhooks.deliveries d
                                where d.endpoint_id = e.endpoint_id and d.status = 'pending' and d.next_attempt_at <= ?
                                order by d.next_attempt_at, d.position, d.rank limit %d
                            ) d
                            where (d.leased_until is null or d.leased_until < ?)
                              and not exists (select 1 from webhooks.deliveries p
                                              where p.endpoint_id = d.endpoint_id and p.order_key = d.order_key and p.status = 'pending'
                                                and (p.position < d.position or (p.position = d.position and p.rank < d.rank)))
                            order by d.next_attempt_at, d.position, d.rank limit ?
                        ) d
                        where e.pending_deliveries > 0 and e.disabled_at is null and e.endpoint_id <> all(?) and e.org_id <> all(?)
                    ) of_organizations where nth_of_organization <= ? order by next_attempt_at limit ?""".formatted(LOOKED_AT_PER_ENDPOINT));
            query.setTimestamp(1, at);
            query.setTimestamp(2, at);
            query.setInt(3, perEndpoint);
            query.setArray(4, connection.createArrayOf("text", busyEndpoints.toArray()));
            query.setArray(5, connection.createArrayOf("text", busyOrganizations.toArray()));
            query.setInt(6, perOrganization);
            query.setInt(7, limit);
            return query;
        }, (rs, row) -> new Due(rs.getString("delivery_id"), rs.getString("endpoint_id"), rs.getString("org_id"), rs.getString("url"),
                rs.getLong("position"), rs.getInt("rank"), rs.getString("event_type"), instant(rs, "occurred_at"), rs.getString("body"),
                rs.getInt("attempts"), instant(rs, "first_attempt_at"), rs.getString("traceparent")));
    }

    /** Takes the delivery for one attempt until {@code until}; false if another took it first or it is no longer pending. */
    boolean lease(String deliveryId, String leaseId, Instant now, Instant until) {
        return jdbc.update("""
                        update webhooks.deliveries set lease_id = ?, leased_until = ?
                        where delivery_id = ? and status = 'pending' and (leased_until is null or leased_until < ?)""",
                leaseId, Timestamp.from(until), deliveryId, Timestamp.from(now)) > 0;
    }

    /** Fixes the body every attempt sends. */
    void setBody(String deliveryId, String leaseId, String body) {
        jdbc.update("update webhooks.deliveries set body = ? where delivery_id = ? and lease_id = ? and body is null", body, deliveryId, leaseId);
    }

    /** The event's counts are not projected yet: look again at {@code next}, without counting an attempt. */
    void notReady(String deliveryId, String leaseId, Instant next) {
        jdbc.update("update webhooks.deliveries set next_attempt_at = ?, lease_id = null, leased_until = null where delivery_id = ? and lease_id = ?",
                Timestamp.from(next), deliveryId, leaseId);
    }

    /** A threshold message for an event that crossed no threshold: there is nothing to deliver. */
    void drop(String deliveryId, String leaseId) {
        jdbc.update(endingPending("delete from webhooks.deliveries where delivery_id = ? and lease_id = ? and rank = 1 and status = 'pending'"),
                deliveryId, leaseId);
    }

    void delivered(String deliveryId, String leaseId, int statusCode, Instant at) {
        jdbc.update(endingPending("""
                        update webhooks.deliveries set status = 'delivered', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ?),
                            last_attempt_at = ?, last_status_code = ?, last_error = null, delivered_at = ?, lease_id = null, leased_until = null
                        where delivery_id = ? and lease_id = ? and status = 'pending'"""),
                Timestamp.from(at), Timestamp.from(at), statusCode, Timestamp.from(at), deliveryId, leaseId);
    }

    /**
     * A failed attempt: tried again at {@code next}, not before the deliveries waiting behind it; or given up
     * ({@code next} null).
     */
    void attemptFailed(String deliveryId, String leaseId, Integer statusCode, String error, Instant at, Instant next) {
        String attempted = """
                update webhooks.deliveries set status = ?, attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ?),
                    last_attempt_at = ?, last_status_code = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at),
                    lease_id = null, leased_until = null
                where delivery_id = ? and lease_id = ? and status = 'pending'""";
        String movingOn = "with failed as (" + attempted + """
                 returning endpoint_id, order_key, position, rank, next_attempt_at)
                update webhooks.deliveries d set next_attempt_at = failed.next_attempt_at from failed
                where d.endpoint_id = failed.endpoint_id and d.order_key = failed.order_key and d.status = 'pending'
                  and (d.position, d.rank) > (failed.position, failed.rank) and d.next_attempt_at < failed.next_attempt_at""";
        jdbc.update(next == null ? endingPending(attempted) : movingOn,
                next == null ? "failed" : "pending", Timestamp.from(at), Timestamp.from(at), statusCode, error, next == null ? null : Timestamp.from(next),
                deliveryId, leaseId);
    }

    /** The statement that ends a pending delivery, and its endpoint's count of pending ones with it. */
    private static String endingPending(String statement) {
        return "with ended as (" + statement + """
                 returning endpoint_id)
                update webhooks.endpoints e set pending_deliveries = e.pending_deliveries - 1 from ended where e.endpoint_id = ended.endpoint_id""";
    }

    /** The endpoint's deliveries, newest first, after the cursor (a delivery's number) if any. */
    public Page list(String orgId, String endpointId, Long cursor, int limit) {
        List<Delivery> items = jdbc.query("""
                        select seq, delivery_id, event_type, position, status, attempts, last_status_code, last_error, created_at, last_attempt_at,
                               next_attempt_at, delivered_at
                        from webhooks.deliveries
                        where org_id = ? and endpoint_id = ? and seq < ? and (body is not null or rank = 0)
                        order by seq desc limit ?""",
                DELIVERY, orgId, endpointId, cursor == null ? Long.MAX_VALUE : cursor, limit + 1);
        if (items.size() <= limit) {
            return new Page(items, null);
        }
        Long last = jdbc.queryForObject("select seq from webhooks.deliveries where delivery_id = ?", Long.class, items.get(limit - 1).deliveryId());
        return new Page(items.subList(0, limit), String.valueOf(last));
    }

    public Optional<Delivery> find(String orgId, String endpointId, String deliveryId) {
        return jdbc.query("""
                        select delivery_id, event_type, position, status, attempts, last_status_code, last_error, created_at, last_attempt_at,
                               next_attempt_at, delivered_at
                        from webhooks.deliveries where org_id = ? and endpoint_id = ? and delivery_id = ?""",
                DELIVERY, orgId, endpointId, deliveryId).stream().findFirst();
    }

    /**
     * Sends the delivery again as soon as possible, with a fresh retry schedule (also one that was made or given up:
     * pending again, it counts towards its endpoint's backlog); false if the endpoint has no such delivery.
     */
    public boolean redeliver(String orgId, String endpointId, String deliveryId, Instant now) {
        Integer redelivered = jdbc.queryForObject("""
                        with target as (select delivery_id, status as was from webhooks.deliveries
                                        where org_id = ? and endpoint_id = ? and delivery_id = ? for update),
                             again as (update webhooks.deliveries d
                                       set status = 'pending', attempts = 0, first_attempt_at = null, next_attempt_at = ?, delivered_at = null
                                       from target where d.delivery_id = target.delivery_id returning target.was),
                             counted as (update webhooks.endpoints set pending_deliveries = pending_deliveries + 1
                                         where endpoint_id = ? and exists (select 1 from again where was <> 'pending'))
                        select count(*) from again""",
                Integer.class, orgId, endpointId, deliveryId, Timestamp.from(now), endpointId);
        return redelivered != null && redelivered > 0;
    }

    private static final RowMapper<Delivery> DELIVERY = (rs, row) -> {
        String status = rs.getString("status");
        return new Delivery(rs.getString("delivery_id"), rs.getString("event_type"), rs.getLong("position"), status, rs.getInt("attempts"),
                (Integer) rs.getObject("last_status_code"), rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "last_attempt_at"),
                "pending".equals(status) ? instant(rs, "next_attempt_at") : null, instant(rs, "delivered_at"));
    };
}
