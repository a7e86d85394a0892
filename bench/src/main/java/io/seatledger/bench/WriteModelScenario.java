package io.seatledger.bench;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.AssignSeats;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BulkAssignment;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.messages.seatpool.SeatRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A pool of 100,000 seats must stay fast. Per run: fill a pool with that many seats in bulk, then time
 * single appends while the pool is cached, and the first command after eviction (a cold load) with and
 * without a snapshot. Baseline: a raw single-row PostgreSQL INSERT of an event-sized row, same database,
 * same run.
 */
final class WriteModelScenario {

    private static final int BULK = 10_000;
    private static final int SMALL_POOL = 1_000;
    private static final int HOT_APPENDS = 200;
    private static final int COLD_LOADS = 5;
    private static final int RAW_INSERTS = 2_000;
    private static final int EVENT_SIZED_PAYLOAD = 400;

    private final int runs;
    private final int seats;

    WriteModelScenario(int runs, int seats) {
        this.runs = runs;
        this.seats = seats;
    }

    void run() throws Exception {
        long startedAt = System.nanoTime();
        try (ConfigurableApplicationContext app = BenchApp.start()) {
            double startupSeconds = (System.nanoTime() - startedAt) / 1e9;
            Map<String, List<Double>> figures = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Double> result = oneRun(app);
                result.forEach((name, value) -> figures.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
                System.out.printf("run %d/%d: %s%n", run, runs, result);
            }
            print(figures, startupSeconds);
        }
    }

    private Map<String, Double> oneRun(ConfigurableApplicationContext app) throws Exception {
        CommandGateway gateway = app.getBean(CommandGateway.class);
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        Cache poolCache = app.getBean("seatPoolCache", Cache.class);
        Map<String, Double> result = new LinkedHashMap<>();
        // a pool is snapshotted after as many events as the larger of the threshold and its seats at the last snapshot
        int snapshotThreshold = Math.max(seats, app.getEnvironment().getRequiredProperty("seatledger.write-model.snapshot-threshold", Integer.class));

        result.put("raw insert µs (median)", rawInsertMicros(app.getBean(DataSource.class)));

        String orgId = "bench-" + UUID.randomUUID();
        AuditMetadata manager = new AuditMetadata("bench-manager", Set.of(), "", "", orgId);
        BenchApp.send(gateway, new CreateOrganization(orgId, "Bench", new BillingManager("bench-manager", "bench@example.com")), manager);

        // The same appends on a small pool, so the large pool's figures read as a size penalty.
        String smallPool = purchase(gateway, orgId, manager, SMALL_POOL + HOT_APPENDS);
        fill(gateway, smallPool, orgId, manager, SMALL_POOL);
        BenchApp.awaitProjectionsCaughtUp(app);
        double smallMedian = Stats.median(hotAppends(gateway, smallPool, orgId, manager));
        result.put("hot append µs, 1k-seat pool (median)", smallMedian);

        String poolId = purchase(gateway, orgId, manager, seats + HOT_APPENDS + COLD_LOADS * 2 + 10);
        long fillStarted = System.nanoTime();
        fill(gateway, poolId, orgId, manager, seats);
        long filled = System.nanoTime();
        result.put(String.format("fill %,d seats s", seats), (filled - fillStarted) / 1e9);
        BenchApp.awaitProjectionsCaughtUp(app);
        result.put("projections caught up after fill s", (System.nanoTime() - filled) / 1e9);

        // Appends are timed on a settled system, not racing the projections or the background snapshot of the fill.
        awaitSnapshotNear(jdbc, poolId, snapshotThreshold);
        List<Double> hot = hotAppends(gateway, poolId, orgId, manager);
        double hotMedian = Stats.median(hot);
        result.put("hot append µs (median)", hotMedian);
        result.put("hot append µs (p99)", Stats.percentile(hot, 99));
        result.put("hot append, large vs 1k-seat pool", hotMedian / smallMedian);

        awaitSnapshotNear(jdbc, poolId, snapshotThreshold);
        List<Double> coldWithSnapshot = new ArrayList<>();
        for (int i = 0; i < COLD_LOADS; i++) {
            poolCache.removeAll();
            coldWithSnapshot.add(timedAssign(gateway, poolId, orgId, manager, "cold" + i) / 1_000_000.0);
        }
        result.put("cold load+append ms, snapshot (median)", Stats.median(coldWithSnapshot));

        awaitSnapshotNear(jdbc, poolId, snapshotThreshold);
        Long snapshotBytes = jdbc.queryForObject("select coalesce(max(length(payload)), 0) from events.snapshot_event_entry where aggregate_identifier = ?", Long.class, poolId);
        result.put("snapshot MB", snapshotBytes / 1e6);
        jdbc.update("delete from events.snapshot_event_entry where aggregate_identifier = ?", poolId);
        poolCache.removeAll();
        result.put("cold load+append ms, no snapshot", timedAssign(gateway, poolId, orgId, manager, "replay") / 1_000_000.0);

        result.put("hot append / raw insert", result.get("raw insert µs (median)") / hotMedian);
        return result;
    }

    private String purchase(CommandGateway gateway, String orgId, AuditMetadata manager, int capacity) {
        String poolId = UUID.randomUUID().toString();
        BenchApp.send(gateway, new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, capacity, Pricing.perSeat("eur", 1000), BillingInterval.MONTH, null), manager);
        return poolId;
    }

    private void fill(CommandGateway gateway, String poolId, String orgId, AuditMetadata manager, int seatCount) {
        for (int offset = 0; offset < seatCount; offset += BULK) {
            List<SeatRequest> rows = new ArrayList<>(BULK);
            for (int i = offset; i < Math.min(seatCount, offset + BULK); i++) {
                rows.add(new SeatRequest(UUID.randomUUID().toString(), "seat" + i + "@" + poolId + ".example", false, null, Map.of()));
            }
            BulkAssignment bulk = BenchApp.send(gateway, new AssignSeats(poolId, orgId, rows, true), manager);
            if (!bulk.rejected().isEmpty()) {
                throw new IllegalStateException("bulk assignment rejected rows: " + bulk.rejected().subList(0, 1));
            }
        }
    }

    private List<Double> hotAppends(CommandGateway gateway, String poolId, String orgId, AuditMetadata manager) {
        List<Double> micros = new ArrayList<>(HOT_APPENDS);
        for (int i = 0; i < HOT_APPENDS; i++) {
            micros.add(timedAssign(gateway, poolId, orgId, manager, "hot" + i) / 1_000.0);
        }
        return micros;
    }

    private double rawInsertMicros(DataSource dataSource) throws Exception {
        byte[] payload = new byte[EVENT_SIZED_PAYLOAD];
        new SecureRandom().nextBytes(payload);
        List<Double> samples = new ArrayList<>(RAW_INSERTS);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (var ddl = connection.createStatement()) {
                ddl.execute("create schema if not exists bench");
                ddl.execute("create table if not exists bench.raw_insert (id bigserial primary key, aggregate_identifier text not null, "
                        + "sequence_number bigint not null, payload bytea not null, unique (aggregate_identifier, sequence_number))");
            }
            String aggregate = UUID.randomUUID().toString();
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into bench.raw_insert (aggregate_identifier, sequence_number, payload) values (?, ?, ?)")) {
                for (int i = 0; i < RAW_INSERTS; i++) {
                    long started = System.nanoTime();
                    insert.setString(1, aggregate);
                    insert.setLong(2, i);
                    insert.setBytes(3, payload);
                    insert.executeUpdate();
                    samples.add((System.nanoTime() - started) / 1_000.0);
                }
            }
        }
        return Stats.median(samples);
    }

    private long timedAssign(CommandGateway gateway, String poolId, String orgId, AuditMetadata manager, String label) {
        AssignSeat assign = new AssignSeat(poolId, orgId, UUID.randomUUID().toString(), label + "-" + UUID.randomUUID() + "@bench.example", false, null, Map.of());
        long started = System.nanoTime();
        BenchApp.send(gateway, assign, manager);
        return System.nanoTime() - started;
    }


    /** The snapshotter runs in the background; wait for it to have caught up with the pool. */
    private void awaitSnapshotNear(JdbcTemplate jdbc, String poolId, int snapshotThreshold) throws InterruptedException {
        Long lastSequence = jdbc.queryForObject("select max(sequence_number) from events.domain_event_entry where aggregate_identifier = ?", Long.class, poolId);
        for (int attempt = 0; attempt < 600; attempt++) {
            Long snapshot = jdbc.queryForObject("select max(sequence_number) from events.snapshot_event_entry where aggregate_identifier = ?", Long.class, poolId);
            if (snapshot != null && lastSequence - snapshot < snapshotThreshold) {
                return;
            }
            Thread.sleep(100);
        }
    }


    private void print(Map<String, List<Double>> figures, double startupSeconds) {
        System.out.println();
        System.out.printf("write model, pool of %,d seats: median of %d runs (JVM %s, %d cores)%n", seats, runs,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-42s %14s   %s%n", "figure", "median", "all runs");
        System.out.printf("%-42s %14.2f%n", "startup incl. embedded PostgreSQL/Redis s", startupSeconds);
        figures.forEach((name, values) -> System.out.printf("%-42s %14.2f   %s%n", name, Stats.median(values),
                values.stream().map(v -> String.format("%.2f", v)).toList()));
    }
}
