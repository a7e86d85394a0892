package io.seatledger.projections.counters;

import io.seatledger.readmodel.CounterKeys;
import io.seatledger.projections.MaintenanceTimeouts;
import io.seatledger.projections.rebuild.ProjectionProgress;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import io.seatledger.readmodel.LuaScripts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Rebuilds the Redis counters from the PostgreSQL read model, for instance after Redis lost its data, while
 * every instance keeps running. The rebuilding instance sets {@link CounterKeys#REBUILDING}; from then on no
 * instance's counter processor writes (its apply script refuses, the batch is retried later). Whatever a
 * counter processor had applied was stored before the mark, so it is at most the newest stored event then;
 * once the read model has applied every event up to there, its snapshot holds everything the counter
 * processors' tokens have passed. Each pool is copied with the position its read-model row last applied; when
 * the mark is gone, the counter processors go on from their own tokens and the position guard applies exactly
 * the events the copy did not hold. No processor is stopped and no token moved, so it works whichever
 * instances hold the segments. Readers use PostgreSQL until the copy is complete ({@link CounterKeys#COMPLETE});
 * the rebuild runs when that mark is missing (see {@link #rebuildIfIncomplete}).
 */
@Component
public class RedisCounterRebuild {

    private static final int BATCH = 500;
    private static final Duration REBUILD_LOCK_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration READ_MODEL_WAIT = Duration.ofMinutes(2);
    private static final Duration MARK_REMOVAL_PATIENCE = Duration.ofSeconds(10);
    private static final RedisScript<Long> END = RedisScript.of(LuaScripts.text("redis/end-counter-rebuild.lua"), Long.class);
    private static final Logger log = LoggerFactory.getLogger(RedisCounterRebuild.class);

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final ProjectionProgress progress;
    private final TransactionTemplate snapshot;
    private final MaintenanceTimeouts maintenance;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokens;

    public RedisCounterRebuild(JdbcTemplate jdbc, StringRedisTemplate redis, ProjectionProgress progress,
                               PlatformTransactionManager transactions, MaintenanceTimeouts maintenance,
                               EventProcessingConfiguration processing, TokenStore tokens) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.tokens = tokens;
        this.maintenance = maintenance;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.redis = redis;
        this.progress = progress;
    }

    /** True when the counters are complete, so readers may trust them. */
    public boolean complete() {
        return Boolean.TRUE.equals(redis.hasKey(CounterKeys.COMPLETE));
    }

    /**
     * Rebuilds the counters when they are not known to be complete: a new or flushed Redis. Checked at start
     * and then every few seconds (the service schedules it); the mark is only absent after a loss, so this costs one
     * EXISTS otherwise.
     */
    public synchronized void rebuildIfIncomplete() {
        try {
            if (!complete()) {
                log.warn("the Redis counters are incomplete (new or flushed Redis): rebuilding them from PostgreSQL");
                rebuild();
            }
        } catch (ReadModelBehind behind) {
            log.warn(behind.getMessage());
        } catch (DataAccessException unavailable) {
            log.warn("Redis is unavailable; readers use PostgreSQL until it is back ({})", unavailable.getClass().getSimpleName());
        } catch (IllegalStateException | java.util.concurrent.RejectedExecutionException stopping) {
            // the application stopped while checking: its connections no longer take work
            log.debug("not checking the Redis counters: the application is stopping");
        }
    }

    /** Rebuilds the counters unless another instance is already doing so. */
    public synchronized void rebuild() {
        String rebuild = UUID.randomUUID().toString();
        if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(CounterKeys.REBUILDING, rebuild, REBUILD_LOCK_TIMEOUT))) {
            return;
        }
        try {
            awaitReadModelAt(progress.headPosition());
            deleteCounters();
            // One snapshot of PostgreSQL for pools, holders and usage: copied at different moments, a pool
            // committed in between would be in the usage but not in the counters, and its replay count it twice.
            // Reading every row while writing Redis keeps it open longer than the service's timeouts allow.
            snapshot.executeWithoutResult(status -> {
                maintenance.liftForThisTransaction();
                copyPools();
                copyHolders();
                copyUsage();
            });
        } catch (RuntimeException failure) {
            try {
                end(rebuild, false);
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed);
            }
            throw failure;
        }
        end(rebuild, true);
        counterSegmentsClaimableNow();
    }

    /**
     * Removes this rebuild's mark and, if the copy is complete, sets the completeness mark in the same step: never
     * complete counters that the processors may not update, and never a moment without either mark, in which another
     * instance would start a rebuild of its own. Tried again for a few seconds if Redis does not answer: a mark left in
     * place refuses every counter batch until it expires.
     */
    private void end(String rebuild, boolean complete) {
        List<String> keys = List.of(CounterKeys.REBUILDING, CounterKeys.COMPLETE);
        RedisPatience.retry(MARK_REMOVAL_PATIENCE, 200, () -> redis.execute(END, keys, rebuild, complete ? "1" : "0"));
    }

    /**
     * Lets this instance claim the counter processor's segments again at once, now and twice more a second apart. A
     * batch that failed (Redis away, or the copy outlasting its wait) makes Axon's pooled processor keep its segment
     * away twice as long after each failure, up to a minute: the counters, complete and read again, would stay that long
     * behind the events. A failure the processor notices only after a release sets its back-off again, hence the
     * repeats.
     */
    private void counterSegmentsClaimableNow() {
        try {
            processing.eventProcessor(RedisCounterProjection.PROCESSOR, StreamingEventProcessor.class).ifPresent(processor -> {
                for (int round = 0; round < 3; round++) {
                    if (round > 0) {
                        RedisPatience.pause(1_000);
                    }
                    for (int segment : tokens.fetchSegments(RedisCounterProjection.PROCESSOR)) {
                        processor.releaseSegment(segment, 0, TimeUnit.MILLISECONDS);
                    }
                }
            });
        } catch (RuntimeException notNow) {
            log.warn("the Redis counters are complete, but their processor's segments could not be released for claiming at once ({}); "
                    + "they are claimed after the processor's own back-off", notNow.getClass().getSimpleName());
        }
    }

    /**
     * Waits until every segment of the read model has applied the events up to {@code head}, the newest stored
     * when the counters stopped writing (events committed later in the gaps below it were not applied by any
     * counter processor either).
     */
    private void awaitReadModelAt(long head) {
        long deadline = System.nanoTime() + READ_MODEL_WAIT.toNanos();
        while (progress.positions().getOrDefault(SeatPoolProjection.PROCESSOR, -1L) < head) {
            if (System.nanoTime() - deadline > 0) {
                throw new ReadModelBehind("the read model did not reach position " + head + " within " + READ_MODEL_WAIT
                        + "; the Redis counters stay incomplete and readers use PostgreSQL");
            }
            RedisPatience.pause(50);
        }
    }

    /** Deletes the mark first, then every organization's keys (not the rebuild's own mark). */
    private void deleteCounters() {
        redis.delete(CounterKeys.COMPLETE);
        List<String> batch = new ArrayList<>(BATCH);
        try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(CounterKeys.PREFIX + "{*").count(BATCH).build())) {
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
        inBatches("select org_id, pool_id, capacity, pending, claimed, status, grace_expired, position from read_model.seat_pools",
                (resultSet, number) -> Map.<String, Object>of("org", resultSet.getString("org_id"), "pool", resultSet.getString("pool_id"),
                        "fields", Map.of(
                                "capacity", resultSet.getString("capacity"),
                                "pending", resultSet.getString("pending"),
                                "claimed", resultSet.getString("claimed"),
                                "status", resultSet.getString("status"),
                                "graceExpired", resultSet.getBoolean("grace_expired") ? "1" : "0",
                                "position", resultSet.getString("position"))),
                this::writePools);
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
        inBatches("select org_id, pool_id, seat_id, holder_user_id from read_model.seats where status = 'CLAIMED' and holder_user_id is not null",
                (resultSet, number) -> new String[]{resultSet.getString(1), resultSet.getString(2), resultSet.getString(3), resultSet.getString(4)},
                this::writeHolders);
    }

    private void copyUsage() {
        inBatches("select org_id, capacity, pending, claimed, available, pools from read_model.org_usage",
                (resultSet, number) -> Map.entry(resultSet.getString("org_id"), Map.of(
                        "capacity", resultSet.getString("capacity"), "pending", resultSet.getString("pending"),
                        "claimed", resultSet.getString("claimed"), "available", resultSet.getString("available"),
                        "pools", resultSet.getString("pools"))),
                batch -> pipelined(operations -> batch.forEach(usage -> operations.opsForHash().putAll(CounterKeys.usage(usage.getKey()), usage.getValue()))));
    }

    /**
     * Reads {@code sql}'s rows and hands them to {@code write} {@value #BATCH} at a time, as they are read: one pipeline per
     * batch, whose replies must all arrive within one command timeout, and never the whole table in memory.
     */
    private <T> void inBatches(String sql, RowMapper<T> row, Consumer<List<T>> write) {
        List<T> rows = new ArrayList<>(BATCH);
        jdbc.query(sql, resultSet -> {
            rows.add(row.mapRow(resultSet, rows.size()));
            if (rows.size() == BATCH) {
                write.accept(rows);
                rows.clear();
            }
        });
        if (!rows.isEmpty()) {
            write.accept(rows);
        }
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

    private void pipelined(Consumer<RedisOperations<String, String>> writes) {
        redis.executePipelined(new SessionCallback<Object>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> Object execute(RedisOperations<K, V> operations) {
                writes.accept((RedisOperations<String, String>) operations);
                return null;
            }
        });
    }

    /** The read model is too far behind for a copy of it to hold what the counter processors have passed. */
    static final class ReadModelBehind extends RuntimeException {
        ReadModelBehind(String message) {
            super(message);
        }
    }
}
