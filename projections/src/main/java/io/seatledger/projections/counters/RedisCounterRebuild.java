package io.seatledger.projections.counters;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the Redis counters from the PostgreSQL read model, for instance after Redis lost its data.
 * Each pool is written with the position its read-model row last applied; the counter processor then
 * replays from the start under its position guard, which applies exactly the events the read model had
 * not yet seen and skips the rest.
 */
@Component
public class RedisCounterRebuild {

    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final EventProcessingConfiguration processing;

    public RedisCounterRebuild(JdbcTemplate jdbc, StringRedisTemplate redis, EventProcessingConfiguration processing) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.processing = processing;
    }

    public void rebuild() {
        StreamingEventProcessor processor = processing.eventProcessor(RedisCounterProjection.PROCESSOR, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no " + RedisCounterProjection.PROCESSOR + " processor"));
        processor.shutDown();
        try {
            deleteCounters();
            copyPools();
            copyHolders();
            processor.resetTokens();
        } finally {
            processor.start();
        }
    }

    private void deleteCounters() {
        List<String> batch = new ArrayList<>(BATCH);
        try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(CounterKeys.PREFIX + "*").count(BATCH).build())) {
            while (keys.hasNext()) {
                batch.add(keys.next());
                if (batch.size() == BATCH) {
                    redis.unlink(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            redis.unlink(batch);
        }
    }

    private void copyPools() {
        List<Map<String, Object>> rows = new ArrayList<>(BATCH);
        jdbc.query("select org_id, pool_id, capacity, pending, claimed, status, grace_expired, position from read_model.seat_pools",
                resultSet -> {
                    rows.add(Map.of("org", resultSet.getString("org_id"), "pool", resultSet.getString("pool_id"),
                            "fields", Map.of(
                                    "capacity", resultSet.getString("capacity"),
                                    "pending", resultSet.getString("pending"),
                                    "claimed", resultSet.getString("claimed"),
                                    "status", resultSet.getString("status"),
                                    "graceExpired", resultSet.getBoolean("grace_expired") ? "1" : "0",
                                    "position", resultSet.getString("position"))));
                    if (rows.size() == BATCH) {
                        writePools(rows);
                        rows.clear();
                    }
                });
        writePools(rows);
    }

    @SuppressWarnings("unchecked")
    private void writePools(List<Map<String, Object>> rows) {
        pipelined(operations -> rows.forEach(row -> {
            String org = (String) row.get("org");
            String pool = (String) row.get("pool");
            operations.opsForHash().putAll(CounterKeys.pool(org, pool), (Map<String, String>) row.get("fields"));
            operations.opsForSet().add(CounterKeys.pools(org), pool);
        }));
    }

    private void copyHolders() {
        List<String[]> rows = new ArrayList<>(BATCH);
        jdbc.query("select org_id, pool_id, seat_id, holder_user_id from read_model.seats where status = 'CLAIMED' and holder_user_id is not null",
                resultSet -> {
                    rows.add(new String[]{resultSet.getString(1), resultSet.getString(2), resultSet.getString(3), resultSet.getString(4)});
                    if (rows.size() == BATCH) {
                        writeHolders(rows);
                        rows.clear();
                    }
                });
        writeHolders(rows);
    }

    private void writeHolders(List<String[]> rows) {
        pipelined(operations -> rows.forEach(row -> {
            String org = row[0];
            String pool = row[1];
            String seat = row[2];
            String holder = row[3];
            operations.opsForHash().put(CounterKeys.holders(org, pool), seat, holder);
            operations.opsForSet().add(CounterKeys.holderSet(org, holder), pool + ":" + seat);
        }));
    }

    private void pipelined(java.util.function.Consumer<RedisOperations<String, String>> writes) {
        redis.executePipelined(new SessionCallback<Object>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> Object execute(RedisOperations<K, V> operations) {
                writes.accept((RedisOperations<String, String>) operations);
                return null;
            }
        });
    }
}
