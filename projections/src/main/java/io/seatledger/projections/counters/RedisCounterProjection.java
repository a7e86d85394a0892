package io.seatledger.projections.counters;

import io.seatledger.messages.readmodel.CounterKeys;
import io.seatledger.messages.seatpool.*;
import io.seatledger.projections.EventPosition;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import io.seatledger.messages.readmodel.LuaScripts;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-pool counters and per-user entitlement sets in Redis, for the hot read paths. Redis is not part of
 * the processor's transaction, so every event's effects are applied by one Lua script that first checks
 * the pool's last applied position: a batch retried after a failure, a redelivery or a replay changes
 * nothing. Its own processor, so a Redis outage never holds up the PostgreSQL read model.
 */
@Component
@ProcessingGroup(RedisCounterProjection.PROCESSOR)
public class RedisCounterProjection {

    public static final String PROCESSOR = "redis-counters";

    static final RedisScript<Long> APPLY = RedisScript.of(LuaScripts.text("redis/apply-pool-event.lua"), Long.class);

    private final StringRedisTemplate redis;

    public RedisCounterProjection(StringRedisTemplate redis) {
        this.redis = redis;
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
    void on(SeatPoolCanceled event, TrackingToken token) {
        apply(event.orgId(), event.poolId(), token, effects().op("set", "status", PoolStatus.CANCELED.name()));
    }

    private static Effects freed(String seatId, SeatStatus previousStatus) {
        return previousStatus == SeatStatus.CLAIMED
                ? effects().op("incr", "claimed", -1).op("release", seatId, "-")
                : effects().op("incr", "pending", -1);
    }

    private void apply(String orgId, String poolId, TrackingToken token, Effects effects) {
        List<String> arguments = new ArrayList<>();
        arguments.add(String.valueOf(EventPosition.of(token)));
        arguments.add(CounterKeys.holderSetPrefix(orgId));
        arguments.add(poolId);
        arguments.addAll(effects.operations);
        Long applied = redis.execute(APPLY, List.of(CounterKeys.pool(orgId, poolId), CounterKeys.holders(orgId, poolId), CounterKeys.pools(orgId),
                CounterKeys.usage(orgId), CounterKeys.REBUILDING), arguments.toArray());
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
