package io.seatledger.bench;

import io.seatledger.client.EntitlementCache;
import io.seatledger.client.SeatLedgerClient;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The Java client's entitlement cache ({@code client/}) against the started service, as a SaaS backend runs it:
 * <ul>
 *   <li>{@code isEntitled} answered from memory, timed one call at a time on one thread, beside a raw baseline (a
 *   {@link ConcurrentHashMap} lookup of the same users), and the bytes it allocates per call;</li>
 *   <li>staleness: a seat revoked by another caller (the billing manager's tool, not the cache's own client) while the
 *   organization's stream carries about {@code changesPerSecond} other changes (bulk assignments into a second pool);
 *   timed from the revocation's answer to the cache saying "not entitled".</li>
 * </ul>
 */
final class CacheScenario {

    static final String ORG = "bench-cache";
    private static final int HOLDERS = 2_000;
    private static final int CALLS = 2_000_000;
    private static final int PROBES_PER_SECOND = 20;

    private final Target target;
    private final int seconds;
    private final int changesPerSecond;
    private String token;
    private List<String> holders;
    private final List<String> seatsOfHolders = new ArrayList<>();
    private String heldPool;
    private String busyPool;
    private SeatLedgerClient client;
    private EntitlementCache cache;
    private int probed;

    CacheScenario(Target target, int seconds, int changesPerSecond) {
        this.target = target;
        this.seconds = seconds;
        this.changesPerSecond = changesPerSecond;
    }

    /** An organization with {@value #HOLDERS} claimed seats and a pool to keep its stream busy; the cache started and live. */
    void prepare() throws Exception {
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        token = target.token("bench-cache-manager", ORG, "manager@bench.example");
        try {
            target.call("POST", "/api/v1/orgs", Map.of("name", "Bench cache"), token);
        } catch (IllegalStateException exists) {
            // an earlier run against the same service created it
        }
        heldPool = buyPool(HOLDERS * 4);
        busyPool = buyPool(100_000);
        holders = IntStream.range(0, HOLDERS).mapToObj(i -> "holder-" + i + suffix).toList();
        String lines = holders.stream().map(user -> "{\"email\":\"" + user + "@bench.example\",\"immediateClaim\":true,\"userId\":\"" + user + "\"}")
                .collect(Collectors.joining("\n"));
        JsonNode assigned = target.send("POST", "/api/v1/orgs/" + ORG + "/seat-pools/" + heldPool + "/seats/bulk", "application/x-ndjson", lines, token);
        assigned.path("assigned").forEach(seat -> seatsOfHolders.add(seat.path("seatId").asString()));
        if (seatsOfHolders.size() != HOLDERS) {
            throw new IllegalStateException("expected " + HOLDERS + " claimed seats, got " + assigned);
        }
        String reader = target.token("bench-cache-backend", ORG, "backend@bench.example");
        client = SeatLedgerClient.builder().baseUrl(target.base).tokens(() -> reader).build();
        cache = client.entitlementCache(ORG).build().start();
        if (!cache.awaitLive(Duration.ofMinutes(1))) {
            throw new IllegalStateException("the entitlement cache did not go live within a minute");
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!cache.isEntitled(holders.get(HOLDERS - 1)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    Map<String, Double> run(int run) throws Exception {
        Map<String, Double> result = new LinkedHashMap<>();
        lookups(result);
        staleness(result);
        return result;
    }

    /** {@code isEntitled} from memory, one call at a time, beside a map lookup of the same users; bytes allocated per call. */
    private void lookups(Map<String, Double> result) throws InterruptedException {
        // the stream may still be catching up with the previous run's changes; until it says it is current, answers go to HTTP
        long live = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cache.isLive() && System.nanoTime() < live) {
            Thread.sleep(50);
        }
        // the holders still entitled: the staleness probes of earlier runs revoked the first ones
        List<String> entitled = holders.subList(probed, HOLDERS);
        if (entitled.size() < HOLDERS / 2) {
            throw new IllegalStateException("too few holders left for another run; use fewer runs or seconds");
        }
        Map<String, Boolean> raw = new ConcurrentHashMap<>();
        entitled.forEach(user -> raw.put(user, Boolean.TRUE));
        String[] users = entitled.toArray(String[]::new);
        long hitsBefore = cache.hits();
        Histogram cached = time(users, cache::isEntitled);
        Histogram mapped = time(users, user -> raw.get(user) != null);
        long hits = cache.hits() - hitsBefore;
        if (hits < 2L * CALLS) {
            throw new IllegalStateException("the cache answered " + hits + " of " + 2L * CALLS + " calls from memory");
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        boolean all = true;
        for (int i = 0; i < CALLS; i++) {
            all &= cache.isEntitled(users[i % users.length]);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        if (!all) {
            throw new IllegalStateException("a holder was answered not entitled");
        }
        result.put("isEntitled p50 µs", cached.getValueAtPercentile(50) / 1e3);
        result.put("isEntitled p99 µs", cached.getValueAtPercentile(99) / 1e3);
        result.put("isEntitled p99.9 µs", cached.getValueAtPercentile(99.9) / 1e3);
        result.put("raw map lookup p99 µs", mapped.getValueAtPercentile(99) / 1e3);
        result.put("isEntitled bytes allocated per hit", (double) allocated / CALLS);
    }

    private static Histogram time(String[] users, java.util.function.Predicate<String> lookup) {
        boolean all = true;
        for (int i = 0; i < CALLS; i++) {
            all &= lookup.test(users[i % users.length]);
        }
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
        for (int i = 0; i < CALLS; i++) {
            long started = System.nanoTime();
            all &= lookup.test(users[i % users.length]);
            latencies.recordValue(System.nanoTime() - started);
        }
        if (!all) {
            throw new IllegalStateException("a holder was answered not entitled");
        }
        return latencies;
    }

    /**
     * While bulk assignments keep the stream at about {@code changesPerSecond}, probes revoke a holder's seat through
     * plain HTTP ({@value #PROBES_PER_SECOND}/s) and time the cache from each answer until it says "not entitled".
     */
    private void staleness(Map<String, Double> result) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong changes = new AtomicLong();
        ExecutorService background = Executors.newSingleThreadExecutor();
        long messagesBefore = cache.messages();
        long fallbacksBefore = cache.fallbacks();
        long behindBefore = cache.behind();
        long reusedBefore = cache.reused();
        long started = System.nanoTime();
        background.submit(() -> {
            int batch = Math.max(1, changesPerSecond / 10);
            long next = System.nanoTime();
            while (running.get()) {
                String lines = IntStream.range(0, batch).mapToObj(i -> "{\"email\":\"busy-" + UUID.randomUUID() + "@bench.example\"}")
                        .collect(Collectors.joining("\n"));
                target.send("POST", "/api/v1/orgs/" + ORG + "/seat-pools/" + busyPool + "/seats/bulk?atomic=false", "application/x-ndjson", lines, token);
                changes.addAndGet(batch);
                next += TimeUnit.MILLISECONDS.toNanos(100);
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
            return null;
        });
        Histogram stale = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        int missed = 0;
        try {
            long interval = TimeUnit.SECONDS.toNanos(1) / PROBES_PER_SECOND;
            long next = System.nanoTime();
            int probes = seconds * PROBES_PER_SECOND;
            for (int probe = 0; probe < probes && probed < HOLDERS; probe++, probed++) {
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                next += interval;
                String user = holders.get(probed);
                target.call("DELETE", "/api/v1/orgs/" + ORG + "/seat-pools/" + heldPool + "/seats/" + seatsOfHolders.get(probed), null, token);
                long answered = System.nanoTime();
                long deadline = answered + TimeUnit.SECONDS.toNanos(10);
                while (cache.isEntitled(user) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(20_000);
                }
                long seen = System.nanoTime();
                if (seen >= deadline) {
                    missed++;
                }
                stale.recordValue(Math.min(seen - answered, stale.getHighestTrackableValue()));
            }
        } finally {
            running.set(false);
            background.shutdown();
            background.awaitTermination(1, TimeUnit.MINUTES);
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        result.put("stream changes /s during probes", (cache.messages() - messagesBefore) / elapsed);
        result.put("staleness p50 ms", stale.getValueAtPercentile(50) / 1e6);
        result.put("staleness p99 ms", stale.getValueAtPercentile(99) / 1e6);
        result.put("staleness probes not seen within 10 s", (double) missed);
        result.put("cache answers over HTTP during probes", (double) (cache.fallbacks() - fallbacksBefore));
        result.put("of which the stream said it lagged", (double) (cache.behind() - behindBefore));
        result.put("of which answered with a user's HTTP answer of the last 250 ms", (double) (cache.reused() - reusedBefore));
    }

    private String buyPool(int seats) throws Exception {
        Map<String, Object> pricing = Map.of("currency", "eur", "tiersMode", "volume",
                "tiers", List.of(Map.of("unitAmount", 100, "flatAmount", 0)));
        return target.call("POST", "/api/v1/orgs/" + ORG + "/seat-pools",
                Map.of("kind", "subscription", "seats", seats, "interval", "month", "pricing", pricing), token).path("poolId").asString();
    }

    void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
