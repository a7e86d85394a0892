package io.seatledger.bench;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.AssignSeats;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.messages.seatpool.SeatRequest;
import io.seatledger.projections.positions.ProjectionProgress;
import io.seatledger.projections.rebuild.RebuildProgress;
import io.seatledger.projections.rebuild.ShadowRebuild;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read side keeps up. Two figures:
 * <ul>
 *   <li>rebuild: a projection rebuilt from the first of ~{@code events} stored events (tenants × pools of seats assigned in
 *   bulk), in events/s, against a raw batched INSERT of as many read-model seat rows (1,000 per batch, one transaction
 *   per batch) in the same database and run;</li>
 *   <li>lag: single-seat assignments at a sustained {@code rate} commands/s for {@code seconds}, while every projection runs;
 *   how far the slowest segment of each processor is behind the newest event, sampled every 100 ms.</li>
 * </ul>
 */
final class ProjectionScenario {

    private static final int BULK = 10_000;
    private static final int RAW_BATCH = 1_000;
    private static final int TENANTS = 10;

    private final int runs;
    private final int events;
    private final String projection;
    private final int rate;
    private final int seconds;

    ProjectionScenario(int runs, int events, String projection, int rate, int seconds) {
        this.runs = runs;
        this.events = events;
        this.projection = projection;
        this.rate = rate;
        this.seconds = seconds;
    }

    void run() throws Exception {
        try (ConfigurableApplicationContext app = BenchApp.start()) {
            CommandGateway gateway = app.getBean(CommandGateway.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            long loadStarted = System.nanoTime();
            List<Tenant> tenants = load(gateway, events);
            double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
            long stored = jdbc.queryForObject("select count(*) from events.domain_event_entry", Long.class);
            BenchApp.awaitProjectionsCaughtUp(app);
            double caughtUpSeconds = (System.nanoTime() - loadStarted) / 1e9;
            System.out.printf("stored %,d events in %.1f s; every projection caught up %.1f s after the load began%n", stored, loadSeconds, caughtUpSeconds);

            Map<String, List<Double>> figures = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Double> result = new LinkedHashMap<>();
                double raw = rawBatchedInsertsPerSecond(app.getBean(DataSource.class), stored);
                double rebuilt = rebuildEventsPerSecond(app, stored);
                result.put("raw batched insert rows/s", raw);
                result.put(projection + " rebuild events/s", rebuilt);
                result.put("rebuild / raw batched insert", rebuilt / raw);
                result.forEach((name, value) -> figures.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
                System.out.printf("run %d/%d: %s%n", run, runs, result);
            }
            for (int run = 1; run <= runs; run++) {
                Map<String, Double> result = sustainedLoad(app, gateway, tenants);
                result.forEach((name, value) -> figures.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
                System.out.printf("load run %d/%d: %s%n", run, runs, result);
            }
            System.out.println();
            System.out.printf("projections: %,d stored events, median of %d runs (JVM %s, %d cores)%n", stored, runs,
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            System.out.printf("%-46s %14s   %s%n", "figure", "median", "all runs");
            figures.forEach((name, values) -> System.out.printf("%-46s %14.2f   %s%n", name, Stats.median(values),
                    values.stream().map(v -> String.format("%.2f", v)).toList()));
        }
    }

    private record Tenant(String orgId, String poolId, AuditMetadata manager) {
    }

    /** Tenants, each with one pool filled in bulk, until about {@code events} events are stored. */
    private List<Tenant> load(CommandGateway gateway, int events) {
        int seatsPerTenant = Math.max(1, events / TENANTS);
        List<Tenant> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            String orgId = "bench-" + UUID.randomUUID();
            AuditMetadata manager = new AuditMetadata("bench-manager-" + t, Set.of(), "", "", orgId);
            BenchApp.send(gateway, new CreateOrganization(orgId, "Bench " + t, new BillingManager(manager.actorId(), "bench@example.com")), manager);
            String poolId = UUID.randomUUID().toString();
            BenchApp.send(gateway, new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, 100_000, Pricing.perSeat("eur", 1000), BillingInterval.MONTH, null), manager);
            tenants.add(new Tenant(orgId, poolId, manager));
        }
        for (Tenant tenant : tenants) {
            for (int offset = 0; offset < seatsPerTenant; offset += BULK) {
                List<SeatRequest> rows = new ArrayList<>(BULK);
                for (int i = offset; i < Math.min(seatsPerTenant, offset + BULK); i++) {
                    rows.add(new SeatRequest(UUID.randomUUID().toString(), "seat" + i + "@" + tenant.poolId() + ".example", false, Map.of()));
                }
                BenchApp.send(gateway, new AssignSeats(tenant.poolId(), tenant.orgId(), rows, true), tenant.manager());
            }
        }
        return tenants;
    }

    private double rebuildEventsPerSecond(ConfigurableApplicationContext app, long stored) throws InterruptedException {
        ShadowRebuild rebuild = app.getBean(ShadowRebuild.class);
        long started = System.nanoTime();
        if (!rebuild.start(projection)) {
            throw new IllegalStateException("cannot rebuild " + projection);
        }
        RebuildProgress progress;
        do {
            Thread.sleep(100);
            progress = rebuild.progress(projection).orElseThrow();
        } while (progress.phase() == RebuildProgress.Phase.BUILDING || progress.phase() == RebuildProgress.Phase.SWAPPING);
        if (progress.phase() != RebuildProgress.Phase.DONE) {
            throw new IllegalStateException("rebuild failed: " + progress);
        }
        return stored / ((System.nanoTime() - started) / 1e9);
    }

    /** The raw baseline: as many seat rows as there are events, inserted in JDBC batches of 1,000, one transaction each. */
    private static double rawBatchedInsertsPerSecond(DataSource dataSource, long rows) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            try (var ddl = connection.createStatement()) {
                ddl.execute("create schema if not exists bench");
                ddl.execute("drop table if exists bench.raw_seats");
                ddl.execute("create table bench.raw_seats (like read_model.seats including all)");
            }
            connection.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            long started = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into bench.raw_seats (seat_id, pool_id, org_id, status, email, assigned_at, expires_at, metadata, position)
                    values (?, ?, ?, 'PENDING', ?, ?, ?, '{}'::jsonb, ?)""")) {
                String poolId = UUID.randomUUID().toString();
                for (long i = 0; i < rows; i++) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, poolId);
                    insert.setString(3, "bench-raw");
                    insert.setString(4, "seat" + i + "@raw.example");
                    insert.setTimestamp(5, now);
                    insert.setTimestamp(6, now);
                    insert.setLong(7, i);
                    insert.addBatch();
                    if ((i + 1) % RAW_BATCH == 0) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
            double perSecond = rows / ((System.nanoTime() - started) / 1e9);
            connection.setAutoCommit(true);
            try (var ddl = connection.createStatement()) {
                ddl.execute("drop table bench.raw_seats");
            }
            return perSecond;
        }
    }

    /** Assignments at {@code rate}/s spread over the tenants; samples every processor's lag meanwhile. */
    private Map<String, Double> sustainedLoad(ConfigurableApplicationContext app, CommandGateway gateway, List<Tenant> tenants) throws Exception {
        ProjectionProgress progress = app.getBean(ProjectionProgress.class);
        int total = rate * seconds;
        ExecutorService clients = Executors.newFixedThreadPool(16);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Double> lagSamples = new ArrayList<>();
        long started = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long head = progress.headPosition();
                long slowest = progress.positions().entrySet().stream().filter(e -> !e.getKey().endsWith(ShadowRebuild.SUFFIX))
                        .mapToLong(Map.Entry::getValue).min().orElse(head);
                synchronized (lagSamples) {
                    lagSamples.add((double) Math.max(0, head - slowest));
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        for (int i = 0; i < total; i++) {
            long due = started + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Tenant tenant = tenants.get(i % tenants.size());
            int n = i;
            clients.submit(() -> {
                try {
                    BenchApp.send(gateway, new AssignSeat(tenant.poolId(), tenant.orgId(), UUID.randomUUID().toString(),
                            "load" + n + "-" + UUID.randomUUID() + "@bench.example", false, Map.of()), tenant.manager());
                    sent.incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(5, TimeUnit.MINUTES);
        double achieved = sent.get() / ((System.nanoTime() - started) / 1e9);
        long drained = System.nanoTime();
        BenchApp.awaitProjectionsCaughtUp(app);
        double drainSeconds = (System.nanoTime() - drained) / 1e9;
        sampler.interrupt();
        sampler.join();
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("load: commands/s achieved", achieved);
        result.put("load: failed commands", (double) failed.get());
        synchronized (lagSamples) {
            result.put("load: lag events (median)", Stats.median(lagSamples));
            result.put("load: lag events (p99)", Stats.percentile(lagSamples, 99));
            result.put("load: lag events (max)", Stats.percentile(lagSamples, 100));
            result.put("load: lag ms at the achieved rate (p99)", Stats.percentile(lagSamples, 99) * 1000.0 / Math.max(1, achieved));
        }
        result.put("load: caught up after last command s", drainSeconds);
        return result;
    }


}
