package io.seatledger.bench;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.projections.rebuild.ProjectionProgress;
import io.seatledger.projections.rebuild.ShadowRebuild;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.ConfigurableApplicationContext;

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
 * The read side keeps up, measured inside the service (the processors' own positions): single-seat assignments at a
 * sustained {@code rate} commands/s for {@code seconds} from 16 threads across 10 tenants, while every projection
 * runs; how far the slowest segment of each processor is behind the newest event, sampled every 100 ms, and how long
 * after the last command every projection has caught up.
 */
final class LagScenario {

    private static final int TENANTS = 10;

    private final int runs;
    private final int rate;
    private final int seconds;

    LagScenario(int runs, int rate, int seconds) {
        this.runs = runs;
        this.rate = rate;
        this.seconds = seconds;
    }

    void run() throws Exception {
        try (ConfigurableApplicationContext app = BenchApp.start()) {
            CommandGateway gateway = app.getBean(CommandGateway.class);
            List<Tenant> tenants = tenants(gateway);
            BenchApp.awaitProjectionsCaughtUp(app);
            Report report = new Report("projection lag under " + rate + " assignments/s, median of " + runs + " runs of " + seconds + " s");
            for (int run = 1; run <= runs; run++) {
                report.add("run " + run + "/" + runs, sustainedLoad(app, gateway, tenants));
            }
            report.print();
        }
    }

    private record Tenant(String orgId, String poolId, AuditMetadata manager) {
    }

    /** Tenants with one pool of 100,000 seats each. */
    private List<Tenant> tenants(CommandGateway gateway) {
        List<Tenant> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            String orgId = "bench-" + UUID.randomUUID();
            AuditMetadata manager = new AuditMetadata("bench-manager-" + t, Set.of(), "", "", orgId);
            BenchApp.send(gateway, new CreateOrganization(orgId, "Bench " + t, new BillingManager(manager.actorId(), "bench@example.com")), manager);
            String poolId = UUID.randomUUID().toString();
            BenchApp.send(gateway, new PurchaseSeatPool(poolId, orgId, PoolKind.SUBSCRIPTION, 100_000, Pricing.perSeat("eur", 1000), BillingInterval.MONTH, null), manager);
            tenants.add(new Tenant(orgId, poolId, manager));
        }
        return tenants;
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
                            "load" + n + "-" + UUID.randomUUID() + "@bench.example", false, null, Map.of()), tenant.manager());
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
