package io.seatledger.query.usage;

import io.seatledger.query.ReadModelRows;
import io.seatledger.query.ReadPath;
import io.seatledger.query.ReadSource;
import io.seatledger.readmodel.CounterKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.util.context.Context;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UsageReader}: an organization's usage from Redis while its counters can be trusted, else from PostgreSQL
 * (flushed, down, or a read that must see PostgreSQL's position). Redis and PostgreSQL are given different numbers
 * here, so each answer shows which store gave it.
 */
class UsageReaderTest {

    private static final Usage IN_POSTGRES = new Usage(10, 2, 3, 5, 2);
    private static final Usage IN_REDIS = new Usage(12, 1, 4, 7, 3);

    private final ReadPath path = ReadPath.get();
    private final String orgId = "org-" + UUID.randomUUID();

    @Test
    void aCompleteRedisAnswers() {
        ReadSource source = storedIn(path.completeRedis());

        assertThat(reader(path.completeRedis(), source).usage(orgId).block()).isEqualTo(IN_REDIS);
        assertThat(source.fallbacks()).isZero();
    }

    @Test
    void aFlushedRedisIsNotTrusted() {
        ReadSource source = storedIn(path.flushedRedis());

        assertThat(reader(path.flushedRedis(), source).usage(orgId).block()).isEqualTo(IN_POSTGRES);
        assertThat(source.fallbacks()).isEqualTo(1);
    }

    @Test
    void whileRedisIsDownPostgresAnswers() {
        storedIn(path.completeRedis());
        ReadSource source = path.readSource(path.redisDown());
        UsageReader reader = reader(path.redisDown(), source);

        assertThat(reader.usage(orgId).block()).isEqualTo(IN_POSTGRES);
        assertThat(reader.usage(orgId).block()).as("asked again at once: Redis is not waited for").isEqualTo(IN_POSTGRES);
        assertThat(source.fallbacks()).isEqualTo(2);
    }

    @Test
    void aReadThatMustSeePostgresSkipsRedis() {
        ReadSource source = storedIn(path.completeRedis());

        Usage usage = reader(path.completeRedis(), source).usage(orgId).contextWrite(Context.of(ReadSource.POSTGRES_ONLY, true)).block();

        assertThat(usage).isEqualTo(IN_POSTGRES);
    }

    @Test
    void anOrganizationWithoutPoolsUsesNothingWhateverAnotherTenantUses() {
        storedIn(path.completeRedis());
        String newcomer = "org-" + UUID.randomUUID();

        assertThat(reader(path.redisDown(), path.readSource(path.redisDown())).usage(newcomer).block()).isEqualTo(Usage.NONE);
        assertThat(reader(path.completeRedis(), path.readSource(path.completeRedis())).usage(newcomer).block()).isEqualTo(Usage.NONE);
    }

    /** The organization's usage stored in PostgreSQL and, differently, in {@code redis}; a read source over {@code redis}. */
    private ReadSource storedIn(ReactiveStringRedisTemplate redis) {
        new ReadModelRows(path.database()).usage(orgId, 10, 2, 3, 5, 2);
        redis.<String, String>opsForHash().putAll(CounterKeys.usage(orgId),
                Map.of("capacity", "12", "pending", "1", "claimed", "4", "available", "7", "pools", "3")).block();
        return path.readSource(redis);
    }

    private UsageReader reader(ReactiveStringRedisTemplate redis, ReadSource source) {
        return new UsageReader(redis, source, path.tenant());
    }
}
