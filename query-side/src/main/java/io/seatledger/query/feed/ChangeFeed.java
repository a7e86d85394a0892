package io.seatledger.query.feed;

import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.query.TenantScope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an organization's feed from PostgreSQL, so any instance serves any client. The feed's order is its own
 * numbering ({@code audit.feed}: each organization's audit entries numbered 1, 2, 3… in the order they became
 * visible, so an event committed late with a lower global position still comes after what a reader already has);
 * the audit trail says what happened, {@code read_model.pool_changes} holds the pool's counts after it and
 * {@code read_model.seats} the seat's holder. An entry whose counts are not projected yet holds back everything
 * after it, so a reader never skips a number it would have to come back for.
 */
@Component
public class ChangeFeed {

    /** The audit actions that are feed events, by their contract names. */
    public static final Map<String, String> EVENTS = Map.ofEntries(
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

    /** Actions whose seat has a holder by then, if it was ever claimed: a seat's holder never changes once it claimed it. */
    private static final String HOLDING_ACTIONS = "'SeatClaimed', 'SeatRevoked', 'SeatTransferred'";
    private static final String HEAD = "(select coalesce(max(seq), 0) from audit.feed where org_id = :org)";
    private static final String ACTIONS = String.join(", ", EVENTS.keySet().stream().map(action -> "'" + action + "'").sorted().toList());

    private final TenantScope tenant;

    public ChangeFeed(TenantScope tenant) {
        this.tenant = tenant;
    }

    /**
     * The highest global position among the organization's audit entries now. Read after a stream's start was fixed,
     * it bounds every entry the stream will not send: those were stored before, at or below it.
     */
    public Mono<Long> newestPosition(String orgId) {
        return tenant.one(orgId, database -> database.sql("select coalesce(max(position), 0) as newest from audit.entries where org_id = :org")
                .bind("org", orgId).map(row -> row.get("newest", Long.class)).one());
    }

    /** The organization's newest feed number: a new subscriber starts after it. */
    public Mono<Long> head(String orgId) {
        return start(orgId, "select " + HEAD + " as start", null);
    }

    /**
     * Where a stream that was sent feed number {@code seq} resumes: after it, but never beyond the newest number
     * (one the organization has not reached would hide everything before it).
     */
    public Mono<Long> afterSequence(String orgId, long seq) {
        return start(orgId, "select least(:point, " + HEAD + ") as start", seq);
    }

    /**
     * Where a stream resumes that was sent global position {@code position} as its id, before the feed was
     * numbered: just before the first entry above that position (entries were numbered in position order then),
     * or after the newest if there is none.
     */
    public Mono<Long> afterPosition(String orgId, long position) {
        return start(orgId, """
                select coalesce((select min(f.seq) - 1 from audit.entries a join audit.feed f on f.position = a.position
                                 where a.org_id = :org and f.org_id = :org and a.position > :point), %s) as start""".formatted(HEAD), position);
    }

    private Mono<Long> start(String orgId, String sql, Long point) {
        return tenant.one(orgId, database -> {
            DatabaseClient.GenericExecuteSpec query = database.sql(sql).bind("org", orgId);
            return (point == null ? query : query.bind("point", point)).map(row -> row.get("start", Long.class)).one();
        });
    }

    /**
     * Up to {@code limit} entries after feed number {@code seq}, in feed order, stopping before the first one whose
     * counts are not projected yet. A number may carry two messages (an event and the threshold it crossed).
     */
    public Flux<FeedEntry> after(String orgId, long seq, int limit) {
        return entries(orgId, "f.seq > :after", "after", seq, limit);
    }

    /**
     * The messages of the event at global position {@code position} (the event's, and the threshold it crossed if any),
     * once its counts are projected; none before that, nor for an event that is not a feed event.
     */
    public Flux<FeedEntry> at(String orgId, long position) {
        return entries(orgId, "a.position = :at", "at", position, 1);
    }

    private Flux<FeedEntry> entries(String orgId, String condition, String parameter, long value, int limit) {
        return tenant.many(orgId, database -> database.sql("""
                        select f.seq, a.position, a.action, a.pool_id, a.seat_id, c.position as counted, c.status, c.capacity, c.pending, c.claimed,
                            case when a.action in (%s) then s.holder_user_id end as holder_user_id,
                            (select p.pending + p.claimed from read_model.pool_changes p
                             where p.pool_id = a.pool_id and p.position < a.position order by p.position desc limit 1) as previously_in_use
                        from audit.feed f join audit.entries a on a.position = f.position
                        left join read_model.pool_changes c on c.position = a.position
                        left join read_model.seats s on s.seat_id = a.seat_id
                        where f.org_id = :org and %s and a.org_id = :org and a.action in (%s)
                        order by f.seq limit :rows""".formatted(HOLDING_ACTIONS, condition, ACTIONS))
                .bind("org", orgId).bind(parameter, value).bind("rows", limit)
                .map(row -> new Row(row.get("seq", Long.class), row.get("position", Long.class), row.get("action", String.class),
                        row.get("pool_id", String.class), row.get("seat_id", String.class), row.get("holder_user_id", String.class),
                        row.get("counted", Long.class) != null, row.get("status", String.class),
                        value(row.get("capacity", Integer.class)), value(row.get("pending", Integer.class)), value(row.get("claimed", Integer.class)),
                        row.get("previously_in_use", Integer.class)))
                .all())
                .takeWhile(Row::counted)
                .concatMapIterable(Row::entries);
    }

    private static int value(Integer count) {
        return count == null ? 0 : count;
    }

    private record Row(long seq, long position, String action, String poolId, String seatId, String holderUserId, boolean counted, String status, int capacity,
                       int pending, int claimed, Integer previouslyInUse) {

        List<FeedEntry> entries() {
            PoolStatus poolStatus = PoolStatus.valueOf(status);
            List<FeedEntry> entries = new ArrayList<>(2);
            entries.add(new FeedEntry(seq, position, EVENTS.get(action), poolId, seatId, holderUserId, poolStatus, capacity, pending, claimed, null));
            Integer crossed = crossedThreshold();
            if (crossed != null) {
                entries.add(new FeedEntry(seq, position, THRESHOLD_EVENT, poolId, null, null, poolStatus, capacity, pending, claimed, crossed));
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
