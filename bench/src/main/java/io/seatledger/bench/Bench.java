package io.seatledger.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The project's benchmark driver. Every figure is reported beside a raw baseline measured in the same run
 * on the same machine and database, and as the median of several runs (docs/benchmarks.md).
 *
 * <p>Against a service started apart ({@code --url}, default {@code http://localhost:8080}; its PostgreSQL and Redis
 * for the raw baselines: {@code --jdbc-url}, {@code --jdbc-user}, {@code --jdbc-password}, {@code --redis-url},
 * defaults those of {@code bench/bench.properties}):
 * <pre>
 * java -jar bench/target/seat-ledger-bench.jar all [--runs=3] [--seconds=10] [--clients=50] [--assign-clients=16]
 *                                                  [--onboarding-seats=100000] [--rebuild-events=1000000]
 *                                                  [--projection=seat-pools,audit-trail]
 * java -jar bench/target/seat-ledger-bench.jar http [--runs=3] [--seconds=10] [--clients=50] [--assign-clients=16]
 *                                                   [--open-rate=2000] [--assign-rate=100]
 * java -jar bench/target/seat-ledger-bench.jar entitlements [--runs=3] [--seconds=10] [--clients=50] [--open-rate=2000]
 * java -jar bench/target/seat-ledger-bench.jar assignments [--runs=3] [--seconds=10] [--assign-clients=16] [--assign-rate=100]
 * java -jar bench/target/seat-ledger-bench.jar onboarding [--runs=3] [--onboarding-seats=100000]
 * java -jar bench/target/seat-ledger-bench.jar rebuild [--runs=3] [--rebuild-events=1000000] [--projection=seat-pools,audit-trail]
 * java -jar bench/target/seat-ledger-bench.jar cache [--runs=3] [--seconds=10] [--changes=1000]
 * </pre>
 * In-process, on a fresh embedded default (the write model and the projections' lag, measured inside the service):
 * <pre>
 * java -jar bench/target/seat-ledger-bench.jar write-model [--runs=3] [--seats=100000]
 * java -jar bench/target/seat-ledger-bench.jar lag [--runs=3] [--rate=1000] [--seconds=30]
 * </pre>
 */
public final class Bench {

    static final int MAX_ASSIGN_CLIENTS = 32;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args.length == 0 ? "all" : args[0];
        Map<String, String> options = new HashMap<>();
        Arrays.stream(args).skip(1).filter(arg -> arg.startsWith("--") && arg.contains("="))
                .forEach(arg -> options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1)));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        switch (scenario) {
            case "all" -> all(options, runs);
            case "onboarding" -> onboarding(options, runs);
            case "rebuild" -> rebuild(options, runs);
            case "http" -> http(options, runs, false);
            case "entitlements" -> http(options, runs, true);
            case "assignments" -> assignments(options, runs);
            case "large-pool" -> largePool(options, runs);
            case "cache" -> cache(options, runs);
            case "write-model" -> new WriteModelScenario(runs, Integer.parseInt(options.getOrDefault("seats", "100000"))).run();
            case "lag" -> new LagScenario(runs, Integer.parseInt(options.getOrDefault("rate", "1000")),
                    Integer.parseInt(options.getOrDefault("seconds", "30"))).run();
            default -> {
                System.err.println("unknown scenario '" + scenario + "'; scenarios: all, http, entitlements, assignments, large-pool, cache, onboarding, rebuild, write-model, lag");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    /** Bulk onboarding alone against the started service (its goal's figure without the rest of the run). */
    private static void onboarding(Map<String, String> options, int runs) throws Exception {
        Report report = new Report("seat-ledger bulk onboarding, median of " + runs + " runs against " + options.getOrDefault("url", "http://localhost:8080"))
                .goal("onboarding: accepted and projected s", "< 10 (100,000 seats)").goal("service RSS, largest MB", "< 512");
        try (Target target = Target.of(options).awaitUp(); ResidentSampler resident = new ResidentSampler(target)) {
            OnboardingScenario onboarding = onboarding(target, options);
            onboarding.prepare();
            measure(report, resident, runs, "run ", "service RSS, largest MB", onboarding::run);
        }
        report.print();
    }

    /** The Java client's entitlement cache against the started service: checks in process, and how stale they get. */
    private static void cache(Map<String, String> options, int runs) throws Exception {
        Report report = new Report("seat-ledger entitlement cache (Java client), median of " + runs + " runs against "
                + options.getOrDefault("url", "http://localhost:8080"))
                .goal("isEntitled p99 µs", "< 5").goal("isEntitled bytes allocated per hit", "0").goal("staleness p99 ms", "< 100 at 1,000 changes/s");
        try (Target target = Target.of(options).awaitUp(); ResidentSampler resident = new ResidentSampler(target)) {
            CacheScenario cache = new CacheScenario(target, Integer.parseInt(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("changes", "1000")));
            try {
                cache.prepare();
                measure(report, resident, runs, "run ", "service RSS, largest MB", cache::run);
            } finally {
                cache.close();
            }
        }
        report.print();
    }

    /** The HTTP API alone against the started service: entitlement checks, and unless only those, assignments and webhook acknowledgements. */
    private static void http(Map<String, String> options, int runs, boolean entitlementChecksOnly) throws Exception {
        Report report = new Report("seat-ledger HTTP API, median of " + runs + " runs against " + options.getOrDefault("url", "http://localhost:8080"))
                .goal("entitlement / raw GET", "≥ 0.30").goal("entitlement p99 ms", "< 10 at 50 clients")
                .goal("assign / raw INSERT", "≥ 0.10").goal("service RSS, largest MB", "< 512");
        try (Target target = Target.of(options).awaitUp(); ResidentSampler resident = new ResidentSampler(target)) {
            HttpScenario http = http(target, options);
            if (entitlementChecksOnly) {
                http.prepareEntitlementChecks();
                measure(report, resident, runs, "run ", "service RSS, largest MB", run -> http.runEntitlementChecks());
            } else {
                http.prepare();
                measure(report, resident, runs, "run ", "service RSS, largest MB", http::run);
            }
        }
        report.print();
    }

    /** Single assignments alone against the started service, beside a raw INSERT and the CRUD design. */
    private static void assignments(Map<String, String> options, int runs) throws Exception {
        Report report = new Report("seat-ledger single assignments, median of " + runs + " runs against " + options.getOrDefault("url", "http://localhost:8080"))
                .goal("assign / raw INSERT", "≥ 0.10").goal("assign / CRUD assign", "≥ 1.0").goal("assign p50 ms", "< 5").goal("assign p99 ms", "< 25");
        try (Target target = Target.of(options).awaitUp(); ResidentSampler resident = new ResidentSampler(target)) {
            HttpScenario http = http(target, options);
            http.prepareAssignments();
            measure(report, resident, runs, "run ", "service RSS, largest MB", http::runAssignments);
        }
        report.print();
    }

    /** Single assignments into one large pool alone against the started service, beside a raw INSERT. */
    private static void largePool(Map<String, String> options, int runs) throws Exception {
        Report report = new Report("seat-ledger single assignments into one " + LargePoolScenario.POOL_SEATS + "-seat pool, median of " + runs
                + " runs against " + options.getOrDefault("url", "http://localhost:8080")).goal("large pool: wrong answers", "0");
        try (Target target = Target.of(options).awaitUp(); ResidentSampler resident = new ResidentSampler(target)) {
            LargePoolScenario largePool = new LargePoolScenario(target, Integer.parseInt(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("assign-clients", "16")), Integer.parseInt(options.getOrDefault("large-pool-prefilled", "70000")));
            largePool.prepare();
            measure(report, resident, runs, "run ", "service RSS, largest MB", largePool::run);
        }
        report.print();
    }

    /** Every scenario against the started service, one table. */
    private static void all(Map<String, String> options, int runs) throws Exception {
        Report report = new Report("seat-ledger benchmark, median of " + runs + " runs against " + options.getOrDefault("url", "http://localhost:8080"))
                .goal("entitlement / raw GET", "≥ 0.30").goal("entitlement p99 ms", "< 10 at 50 clients")
                .goal("assign / raw INSERT", "≥ 0.10").goal("onboarding: accepted and projected s", "< 10 (100,000 seats)")
                .goal("service RSS, largest MB", "< 512");
        try (Target target = Target.of(options).awaitUp(); ResidentSampler resident = new ResidentSampler(target)) {
            HttpScenario http = http(target, options);
            OnboardingScenario onboarding = onboarding(target, options);
            http.prepare();
            onboarding.prepare();
            measure(report, resident, runs, "run ", "service RSS, largest MB", run -> {
                Map<String, Double> result = http.run(run);
                result.putAll(onboarding.run(run));
                return result;
            });
            rebuilds(options, runs, report, target, resident);
        }
        report.print();
    }

    /** Projection rebuilds alone against the started service, after filling its event store (not timed). */
    private static void rebuild(Map<String, String> options, int runs) throws Exception {
        Report report = new Report("seat-ledger projection rebuilds, median of " + runs + " runs against " + options.getOrDefault("url", "http://localhost:8080"));
        try (Target target = Target.of(options).awaitUp(); ResidentSampler resident = new ResidentSampler(target)) {
            rebuilds(options, runs, report, target, resident);
        }
        report.print();
    }

    /** Each projection of {@code --projection} (comma-separated) rebuilt {@code runs} times over the same stored events. */
    private static void rebuilds(Map<String, String> options, int runs, Report report, Target target, ResidentSampler resident) throws Exception {
        RebuildScenario rebuild = new RebuildScenario(target, Integer.parseInt(options.getOrDefault("rebuild-events", "1000000")));
        rebuild.prepare();
        for (String projection : options.getOrDefault("projection", "seat-pools,audit-trail").split(",")) {
            report.goal("rebuild " + projection + " / raw batched INSERT", "≥ 0.75");
            measure(report, resident, runs, "rebuild " + projection + " run ", "service RSS during the " + projection + " rebuild, largest MB",
                    run -> rebuild.run(projection.strip()));
        }
    }

    private static HttpScenario http(Target target, Map<String, String> options) {
        int assignClients = Integer.parseInt(options.getOrDefault("assign-clients", "16"));
        if (assignClients > MAX_ASSIGN_CLIENTS) {
            throw new IllegalArgumentException("at most " + MAX_ASSIGN_CLIENTS + " assigning clients (bench/bench.properties lifts the rate limits of that many tenants)");
        }
        return new HttpScenario(target, Integer.parseInt(options.getOrDefault("seconds", "10")), Integer.parseInt(options.getOrDefault("clients", "50")),
                assignClients, Integer.parseInt(options.getOrDefault("open-rate", "2000")), Integer.parseInt(options.getOrDefault("assign-rate", "100")));
    }

    private static OnboardingScenario onboarding(Target target, Map<String, String> options) {
        return new OnboardingScenario(target, Integer.parseInt(options.getOrDefault("onboarding-seats", "100000")));
    }

    /** A scenario's runs, each reported with the service's largest resident set during it. */
    private static void measure(Report report, ResidentSampler resident, int runs, String label, String residentFigure, Run scenario)
            throws Exception {
        for (int run = 1; run <= runs; run++) {
            resident.reset();
            Map<String, Double> result = scenario.run(run);
            result.put(residentFigure, resident.largestMegabytes());
            report.add(label + run + "/" + runs, result);
        }
    }

    /** One measured run of a scenario: its figures by name. */
    @FunctionalInterface
    private interface Run {
        Map<String, Double> run(int run) throws Exception;
    }
}
