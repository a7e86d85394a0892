package io.seatledger.projections.counters;

import io.seatledger.readmodel.CounterKeys;
import io.seatledger.messages.seatpool.*;
import io.seatledger.projections.EventPosition;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import io.seatledger.readmodel.LuaScripts;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-pool counters and per-user entitlement sets in Redis, for the hot read paths. Redis is not part of
 * the processor's transaction, so events' effects are applied by a Lua script that checks each event against
 * the pool's last applied position: a batch retried after a failure, a redelivery or a replay changes
 * nothing. Its own processor, so a Redis outage never holds up the PostgreSQL read model. A batch's events
 * are sent in one pipeline when its transaction is about to commit (in order, on one connection), a pool's
 * consecutive events in one script call, so a bulk import does not cost a round trip or a script per seat.
 * <p>
 * While Redis is away or its counters are being rebuilt, a batch waits and tries again in place (for
 * {@link #patience}) before it fails: a failed batch makes Axon keep its segment away for a back-off that doubles up to
 * a minute, and entitlement checks would read counters that long out of date once the copy is complete.
 */
@Component
@ProcessingGroup(RedisCounterProjection.PROCESSOR)
public class RedisCounterProjection {

    public static final String PROCESSOR = "redis-counters";

    /** Applies a pool's events (see the script for its arguments); its keys are {@link #scriptKeys}. */
    public static final RedisScript<Long> APPLY = RedisScript.of(LuaScripts.text("redis/apply-pool-event.lua"), Long.class);

    private static final byte[] SCRIPT = APPLY.getScriptAsString().getBytes(StandardCharsets.UTF_8);
    private static final int KEY_COUNT = scriptKeys("org", "pool").size();
    /** Events of one pool per script call: Redis runs nothing else while a script runs. */
    private static final int EVENTS_PER_CALL = 1_000;

    /** How long a batch waits for Redis or for a rebuild to end before it fails: half the segments' claim timeout (10 s). */
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final long RETRY_PAUSE_MILLIS = 100;

    private final StringRedisTemplate redis;
    private final Duration patience;
    private final String resourceKey = "redis-counter-scripts-" + System.identityHashCode(this);

    @Autowired
    public RedisCounterProjection(StringRedisTemplate redis) {
        this(redis, PATIENCE);
    }

    /** With {@code patience}: how long a batch waits for Redis or for a rebuild to end before it fails. */
    public RedisCounterProjection(StringRedisTemplate redis, Duration patience) {
        this.redis = redis;
        this.patience = patience;
    }

    @EventHandler
    void on(SeatPoolPurchased event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects()
                .op("pool", "-", "-")
                .op("set", "capacity", event.capacity())
                .op("set", "pending", 0)
                .op("set", "claimed", 0)
                .op("set", "status", event.status().name())
                .op("set", "graceExpired", 0));
    }

    @EventHandler
    void on(SeatPoolActivated event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "status", PoolStatus.ACTIVE.name()));
    }

    @EventHandler
    void on(SeatAssigned event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("incr", "pending", 1));
    }

    @EventHandler
    void on(SeatClaimed event, TrackingToken token) {
        Effects effects = effects().op("incr", "pending", -1).op("incr", "claimed", 1);
        if (event.holderUserId() != null) {
            effects.op("claim", event.seatId(), event.holderUserId());
        }
        apply(event.orgId(), event.poolId(), token, effects);
    }

    @EventHandler
    void on(SeatRevoked event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, freed(event.seatId(), event.previousStatus()));
    }

    @EventHandler
    void on(SeatExpired event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("incr", "pending", -1));
    }

    @EventHandler
    void on(SeatTransferred event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, freed(event.fromSeatId(), event.previousStatus()).op("incr", "pending", 1));
    }

    @EventHandler
    void on(SeatPoolResized event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "capacity", event.capacity()));
    }

    @EventHandler
    void on(SeatCapacityForced event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "capacity", event.capacity()));
    }

    @EventHandler
    void on(SeatPoolWentPastDue event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "status", PoolStatus.PAST_DUE.name()).op("set", "graceExpired", 0));
    }

    @EventHandler
    void on(SeatPoolGraceExpired event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "graceExpired", 1));
    }

    @EventHandler
    void on(SeatPoolPaymentRecovered event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "status", PoolStatus.ACTIVE.name()).op("set", "graceExpired", 0));
    }

    @EventHandler
    void on(SeatPoolSuspended event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "status", PoolStatus.SUSPENDED.name()).op("set", "graceExpired", 0));
    }

    @EventHandler
    void on(SeatPoolSuspensionLifted event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "status", event.status().name()));
    }

    @EventHandler
    void on(SeatPoolCanceled event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "status", PoolStatus.CANCELED.name()));
    }

    private static Effects freed(String seatId, SeatStatus previousStatus) {
        return previousStatus == SeatStatus.CLAIMED
                ? effects().op("incr", "claimed", -1).op("release", seatId, "-")
                : effects().op("incr", "pending", -1);
    }

    private void apply(String orgId, String poolId, TrackingToken token, Effects effects) {
        PoolEvent event = new PoolEvent(orgId, poolId, EventPosition.of(token), effects.operations);
        if (!CurrentUnitOfWork.isStarted()) {
            applyAll(List.of(event));
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        List<PoolEvent> pending = batch.getOrComputeResource(resourceKey, key -> {
            List<PoolEvent> events = new ArrayList<>();
            batch.onPrepareCommit(committing -> applyAll(events));
            return events;
        });
        pending.add(event);
    }

    /**
     * The batch's events in one pipeline, the script loaded first (idempotent) so that none finds it missing; the
     * consecutive events of one pool (a bulk import's thousands) go in one script call.
     */
    private void applyAll(List<PoolEvent> events) {
        List<byte[][]> calls = new ArrayList<>();
        Map<String, Long> lastSentOfPool = new HashMap<>();
        for (int from = 0; from < events.size(); ) {
            PoolEvent first = events.get(from);
            int to = from + 1;
            while (to < events.size() && to - from < EVENTS_PER_CALL && events.get(to).samePool(first)) {
                to++;
            }
            String pool = CounterKeys.pool(first.orgId(), first.poolId());
            calls.add(call(events.subList(from, to), lastSentOfPool.getOrDefault(pool, -1L)));
            lastSentOfPool.put(pool, events.get(to - 1).position());
            from = to;
        }
        events.clear();
        // the script is idempotent (each event at most once per pool), so the whole pipeline may be sent again
        RedisPatience.retry(patience, RETRY_PAUSE_MILLIS, () -> send(calls));
    }

    private void send(List<byte[][]> calls) {
        List<Object> results = redis.executePipelined((RedisCallback<Object>) connection -> {
            connection.scriptingCommands().scriptLoad(SCRIPT);
            for (byte[][] keysAndArguments : calls) {
                connection.scriptingCommands().evalSha(APPLY.getSha1(), ReturnType.INTEGER, KEY_COUNT, keysAndArguments);
            }
            return null;
        });
        for (Object result : results.subList(1, results.size())) {
            refusedIfRebuilding((Long) result);
        }
    }

    /** The keys {@link #APPLY} reads and writes for a pool, in the script's order. */
    public static List<String> scriptKeys(String orgId, String poolId) {
        return List.of(CounterKeys.pool(orgId, poolId), CounterKeys.holders(orgId, poolId), CounterKeys.pools(orgId), CounterKeys.usage(orgId),
                CounterKeys.REBUILDING);
    }

    /**
     * The script's keys and arguments for events of one pool, in order; {@code sentBefore} is the position of the pool's
     * event sent just before them in the same pipeline (-1 if none). Should the rebuild's mark go while the pipeline
     * runs, an earlier call of the pool may have been refused and a later one not: the script refuses the later one too,
     * so no event of the pool is passed over when the pipeline is sent again.
     */
    private static byte[][] call(List<PoolEvent> events, long sentBefore) {
        PoolEvent first = events.get(0);
        List<String> keysAndArguments = new ArrayList<>(scriptKeys(first.orgId(), first.poolId()));
        keysAndArguments.add(CounterKeys.holderSetPrefix(first.orgId()));
        keysAndArguments.add(first.poolId());
        keysAndArguments.add(String.valueOf(sentBefore));
        for (PoolEvent event : events) {
            keysAndArguments.add(String.valueOf(event.position()));
            keysAndArguments.add(String.valueOf(event.operations().size() / 3));
            keysAndArguments.addAll(event.operations());
        }
        return keysAndArguments.stream().map(value -> value.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private record PoolEvent(String orgId, String poolId, long position, List<String> operations) {
        boolean samePool(PoolEvent other) {
            return orgId.equals(other.orgId) && poolId.equals(other.poolId);
        }
    }

    private static void refusedIfRebuilding(Long applied) {
        if (applied != null && applied < 0) {
            throw new CountersBeingRebuilt();
        }
    }

    private static Effects effects() {
        return new Effects();
    }

    /** The operations one event applies, in the script's (operation, a, b) triples. */
    private static final class Effects {
        private final List<String> operations = new ArrayList<>();

        Effects op(String operation, Object a, Object b) {
            operations.add(operation);
            operations.add(String.valueOf(a));
            operations.add(String.valueOf(b));
            return this;
        }
    }
}
