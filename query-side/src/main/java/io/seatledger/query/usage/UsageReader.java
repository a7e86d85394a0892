package io.seatledger.query.usage;

import io.seatledger.readmodel.CounterKeys;
import io.seatledger.query.ReadSource;
import io.seatledger.query.TenantScope;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.List;

/** An organization's usage from Redis, or from PostgreSQL while Redis cannot be trusted. */
@Component
public class UsageReader {

    private static final List<Object> FIELDS = List.of("capacity", "pending", "claimed", "available", "pools");

    private final ReactiveStringRedisTemplate redis;
    private final ReadSource source;
    private final TenantScope tenant;

    public UsageReader(ReactiveStringRedisTemplate redis, ReadSource source, TenantScope tenant) {
        this.redis = redis;
        this.source = source;
        this.tenant = tenant;
    }

    public Mono<Usage> usage(String orgId) {
        return source.fromRedisOrElse(fromRedis(orgId), () -> fromPostgres(orgId));
    }

    private Mono<Usage> fromRedis(String orgId) {
        return redis.<Object, Object>opsForHash().multiGet(CounterKeys.usage(orgId), FIELDS)
                .map(values -> new Usage(number(values.get(0)), number(values.get(1)), number(values.get(2)), number(values.get(3)),
                        number(values.get(4))));
    }

    Mono<Usage> fromPostgres(String orgId) {
        return tenant.one(orgId, database -> database.sql("""
                        select capacity, pending, claimed, available, pools from read_model.org_usage where org_id = :org""")
                .bind("org", orgId)
                .map(row -> new Usage(row.get("capacity", Integer.class), row.get("pending", Integer.class), row.get("claimed", Integer.class),
                        row.get("available", Integer.class), row.get("pools", Integer.class)))
                .one()).defaultIfEmpty(Usage.NONE);
    }

    private static long number(Object value) {
        return value == null ? 0 : Long.parseLong(value.toString());
    }
}
