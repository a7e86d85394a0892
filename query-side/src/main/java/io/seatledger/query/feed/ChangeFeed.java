package io.seatledger.query.feed;

import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.query.TenantScope;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an organization's feed from PostgreSQL, so any instance serves any client: the audit trail says
 * what happened at each position (in order per organization: its projection is sequenced by organization),
 * {@code read_model.pool_changes} holds the pool's counts after it. An entry whose counts are not projected
 * yet holds back everything after it, so a reader never skips a position it would have to come back for.
 */
@Component
public class ChangeFeed {

    /** The audit actions that are feed events, by their contract names. */
    static final Map<String, String> EVENTS = Map.ofEntries(
            Map.entry("SeatPoolPurchased", "pool.purchased"),
            Map.entry("SeatPoolResized", "pool.resized"),
            Map.entry("SeatCapacityForced", "pool.resized"),
            Map.entry("SeatPoolActivated", "pool.status_changed"),
            Map.entry("SeatPoolWentPastDue", "pool.status_changed"),
            Map.entry("SeatPoolGraceExpired", "pool.status_changed"),
            Map.entry("SeatPoolPaymentRecovered", "pool.status_changed"),
            Map.entry("SeatPoolSuspended", "pool.status_changed"),
            Map.entry("SeatPoolSuspensionLifted", "pool.status_changed"),
            Map.entry("SeatPoolCanceled", "pool.status_changed"),
            Map.entry("SeatAssigned", "seat.assigned"),
            Map.entry("SeatClaimed", "seat.claimed"),
            Map.entry("SeatRevoked", "seat.revoked"),
            Map.entry("SeatExpired", "seat.expired"),
            Map.entry("SeatTransferred", "seat.transferred"));
    /** Share of capacity in use whose upward crossing is announced as {@code usage.threshold}. */
    static final List<Integer> THRESHOLDS = List.of(80, 100);
    public static final String THRESHOLD_EVENT = "usage.threshold";

    private static final String ACTIONS = String.join(", ", EVENTS.keySet().stream().map(action -> "'" + action + "'").sorted().toList());

    private final TenantScope tenant;

    public ChangeFeed(TenantScope tenant) {
        this.tenant = tenant;
    }

    /** The organization's latest feed position: a new subscriber starts after it. */
    public Mono<Long> head(String orgId) {
        return tenant.one(orgId, database -> database.sql("select coalesce(max(position), 0) as head from audit.entries where org_id = :org")
                .bind("org", orgId).map(row -> row.get("head", Long.class)).one());
    }

    /**
     * Up to {@code limit} entries after {@code position}, in order, stopping before the first one whose
     * counts are not projected yet. A position may carry two messages (an event and the threshold it crossed).
     */
    public Flux<FeedEntry> after(String orgId, long position, int limit) {
        return tenant.many(orgId, database -> database.sql("""
                        select a.position, a.action, a.pool_id, a.seat_id, c.position as counted, c.status, c.capacity, c.pending, c.claimed,
                            (select p.pending + p.claimed from read_model.pool_changes p
                             where p.pool_id = a.pool_id and p.position < a.position order by p.position desc limit 1) as previously_in_use
                        from audit.entries a left join read_model.pool_changes c on c.position = a.position
                        where a.org_id = :org and a.position > :after and a.action in (%s)
                        order by a.position limit :rows""".formatted(ACTIONS))
                .bind("org", orgId).bind("after", position).bind("rows", limit)
                .map(row -> new Row(row.get("position", Long.class), row.get("action", String.class), row.get("pool_id", String.class),
                        row.get("seat_id", String.class), row.get("counted", Long.class) != null, row.get("status", String.class),
                        value(row.get("capacity", Integer.class)), value(row.get("pending", Integer.class)), value(row.get("claimed", Integer.class)),
                        row.get("previously_in_use", Integer.class)))
                .all())
                .takeWhile(Row::counted)
                .concatMapIterable(Row::entries);
    }

    private static int value(Integer count) {
        return count == null ? 0 : count;
    }

    private record Row(long position, String action, String poolId, String seatId, boolean counted, String status, int capacity,
                       int pending, int claimed, Integer previouslyInUse) {

        List<FeedEntry> entries() {
            PoolStatus poolStatus = PoolStatus.valueOf(status);
            List<FeedEntry> entries = new ArrayList<>(2);
            entries.add(new FeedEntry(position, EVENTS.get(action), poolId, seatId, poolStatus, capacity, pending, claimed, null));
            Integer crossed = crossedThreshold();
            if (crossed != null) {
                entries.add(new FeedEntry(position, THRESHOLD_EVENT, poolId, null, poolStatus, capacity, pending, claimed, crossed));
            }
            return entries;
        }

        /** The highest threshold this change crossed upward, if any. */
        private Integer crossedThreshold() {
            if (capacity <= 0) {
                return null;
            }
            long before = previouslyInUse == null ? 0 : previouslyInUse;
            long now = pending + claimed;
            Integer crossed = null;
            for (int threshold : THRESHOLDS) {
                long seats = (capacity * (long) threshold + 99) / 100;
                if (before < seats && now >= seats) {
                    crossed = threshold;
                }
            }
            return crossed;
        }
    }
}
