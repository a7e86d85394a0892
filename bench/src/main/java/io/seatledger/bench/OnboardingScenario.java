package io.seatledger.bench;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Bulk onboarding: a new organization buys a pool of {@code seats} seats and assigns every one of them over HTTP in
 * NDJSON requests of 10,000 (the API's limit), one after the other as a billing manager's import would. Timed from
 * the first request to the last answer (accepted) and to every projection having processed every event (usage
 * served from Redis shows them, audit and read models caught up). Baseline: as many seat rows inserted into a copy
 * of the seat read model in batches of 1,000, in the same run. A first onboarding of 30,000 seats, not measured,
 * warms the service up.
 */
final class OnboardingScenario {

    static final int BULK = 10_000;
    static final int WARM_UP_SEATS = 30_000;

    private final Target target;
    private final int seats;
    private String admin;

    OnboardingScenario(Target target, int seats) {
        this.target = target;
        this.seats = seats;
    }

    /** Warms the service up with a smaller onboarding first: a fresh JVM's compilers took a core for the whole first run. */
    void prepare() throws Exception {
        admin = target.adminToken();
        onboard(target, "bench-warm-up-" + UUID.randomUUID().toString().substring(0, 8), Math.min(seats, WARM_UP_SEATS));
        target.awaitProjectionsCaughtUp(admin);
    }

    Map<String, Double> run(int run) throws Exception {
        double raw = RawBaselines.batchedInsertsPerSecond(target.database(), seats);
        Onboarded onboarded = onboard(target, "bench-onboarding-" + UUID.randomUUID().toString().substring(0, 8), seats);
        target.awaitProjectionsCaughtUp(admin);
        double projected = (System.nanoTime() - onboarded.startedNanos()) / 1e9;
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("onboarding: accepted s", onboarded.acceptedSeconds());
        result.put("onboarding: accepted and projected s", projected);
        result.put("onboarding: seats/s (projected)", seats / projected);
        result.put("raw batched INSERT rows/s", raw);
        result.put("onboarding / raw batched INSERT", seats / projected / raw);
        return result;
    }

    /** A new organization with one pool of {@code seats}, every seat assigned; returns when usage (Redis) counts them all. */
    static Onboarded onboard(Target target, String org, int seats) throws Exception {
        String manager = target.token("bench-onboarder", org, "onboarder@bench.example");
        target.call("POST", "/api/v1/orgs", Map.of("name", "Onboarding " + org), manager);
        String poolId = HttpScenario.buyPool(target, org, manager, seats);
        long started = System.nanoTime();
        assignInBulk(target, org, poolId, manager, "seat", 0, seats);
        double accepted = (System.nanoTime() - started) / 1e9;
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(15).toNanos();
        while (target.call("GET", "/api/v1/orgs/" + org + "/usage", null, manager).path("pending").asLong() < seats) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the usage of " + org + " did not show its " + seats + " seats within 15 minutes");
            }
            Thread.sleep(50);
        }
        return new Onboarded(org, poolId, manager, started, accepted);
    }

    /** Seats {@code from} to {@code to} (exclusive) of the pool, {@code <prefix><n>@<org>.example}, in NDJSON requests of {@value #BULK}. */
    static void assignInBulk(Target target, String org, String poolId, String manager, String prefix, int from, int to) throws Exception {
        for (int offset = from; offset < to; offset += BULK) {
            StringBuilder lines = new StringBuilder();
            int end = Math.min(to, offset + BULK);
            for (int i = offset; i < end; i++) {
                lines.append("{\"email\":\"").append(prefix).append(i).append('@').append(org).append(".example\"}\n");
            }
            JsonNode answer = target.send("POST", "/api/v1/orgs/" + org + "/seat-pools/" + poolId + "/seats/bulk", "application/x-ndjson",
                    lines.toString(), manager);
            if (answer.path("assigned").size() != end - offset) {
                throw new IllegalStateException("bulk assignment refused rows: " + answer.path("rejected"));
            }
        }
    }

    record Onboarded(String org, String poolId, String manager, long startedNanos, double acceptedSeconds) {
    }
}
