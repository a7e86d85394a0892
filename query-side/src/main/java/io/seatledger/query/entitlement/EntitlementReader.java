package io.seatledger.query.entitlement;

import io.seatledger.readmodel.CounterKeys;
import io.seatledger.readmodel.PoolsInService;
import io.seatledger.query.ReadSource;
import io.seatledger.query.TenantScope;
import io.seatledger.readmodel.LuaScripts;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Answers "is this user entitled?" from Redis, in one round trip (one script reading the completeness mark, the
 * user's seats and their pools' status). While Redis is down or its counters are incomplete (flushed, being rebuilt), the
 * same question is answered from PostgreSQL.
 */
@Component
public class EntitlementReader {

    private static final RedisScript<List> SEATS = RedisScript.of(LuaScripts.text("redis/entitlement.lua"), List.class);

    private final ReactiveStringRedisTemplate redis;
    private final ReadSource source;
    private final TenantScope tenant;

    public EntitlementReader(ReactiveStringRedisTemplate redis, ReadSource source, TenantScope tenant) {
        this.redis = redis;
        this.source = source;
        this.tenant = tenant;
    }

    public Mono<Entitlement> entitlement(String orgId, String userId) {
        return source.fromCheckedRedisOrElse(fromRedis(orgId, userId), () -> fromPostgres(orgId, userId));
    }

    /** Empty while the counters are incomplete (the script reads the completeness mark itself). */
    private Mono<Optional<Entitlement>> fromRedis(String orgId, String userId) {
        return redis.execute(SEATS, List.of(CounterKeys.holderSet(orgId, userId), CounterKeys.COMPLETE), List.of(CounterKeys.pool(orgId, "")))
                .next()
                .map(flat -> {
                    if (flat.isEmpty() || !"1".equals(String.valueOf(flat.get(0)))) {
                        return Optional.<Entitlement>empty();
                    }
                    List<Entitlement.HeldSeat> seats = new ArrayList<>();
                    for (int i = 1; i + 1 < flat.size(); i += 2) {
                        seats.add(new Entitlement.HeldSeat(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1))));
                    }
                    seats.sort(Comparator.comparing(Entitlement.HeldSeat::poolId).thenComparing(Entitlement.HeldSeat::seatId));
                    return Optional.of(Entitlement.of(userId, seats));
                });
    }

    Mono<Entitlement> fromPostgres(String orgId, String userId) {
        return tenant.many(orgId, database -> database.sql("""
                                select s.pool_id, s.seat_id from read_model.seats s join read_model.seat_pools p on p.pool_id = s.pool_id
                                where s.org_id = :org and s.holder_user_id = :user and s.status = 'CLAIMED' and p.org_id = :org and """
                                + PoolsInService.sql("p.") + " order by s.pool_id, s.seat_id")
                        .bind("org", orgId).bind("user", userId)
                        .map(row -> new Entitlement.HeldSeat(row.get("pool_id", String.class), row.get("seat_id", String.class))).all())
                .collectList()
                .map(seats -> Entitlement.of(userId, seats));
    }
}
