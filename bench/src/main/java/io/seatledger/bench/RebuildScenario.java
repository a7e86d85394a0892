package io.seatledger.bench;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A projection rebuilt from the first of at least {@code events} stored events, through the operators' API
 * ({@code POST /admin/projections/{name}/replay}: a shadow processor replays every event into shadow tables, then
 * swaps them in), timed from the request until the projection no longer reports {@code rebuilding}; in events/s
 * against as many seat rows inserted in batches of 1,000 in the same run. Events missing to reach {@code events}
 * are added first by onboarding organizations of 100,000 seats (not timed).
 */
final class RebuildScenario {

    private static final int FILL_SEATS = 100_000;

    private final Target target;
    private final int events;
    private String admin;
    private OnboardingScenario.Onboarded probe;
    private long stored;

    RebuildScenario(Target target, int events) {
        this.target = target;
        this.events = events;
    }

    void prepare() throws Exception {
        admin = target.adminToken();
        probe = OnboardingScenario.onboard(target, "bench-rebuild-" + UUID.randomUUID().toString().substring(0, 8), Math.min(FILL_SEATS, events));
        while (head() < events) {
            long started = System.nanoTime();
            OnboardingScenario.onboard(target, "bench-rebuild-" + UUID.randomUUID().toString().substring(0, 8), FILL_SEATS);
            System.out.printf("filling the event store: %,d of %,d events (%.0f s a pool)%n", head(), events, (System.nanoTime() - started) / 1e9);
        }
        target.awaitProjectionsCaughtUp(admin);
        stored = head();
    }

    /** One rebuild of the named projection; its figures are named after it. */
    Map<String, Double> run(String projection) throws Exception {
        double raw = RawBaselines.batchedInsertsPerSecond(target.database(), stored);
        long started = System.nanoTime();
        target.call("POST", "/api/v1/admin/projections/" + projection + "/replay", null, admin);
        long deadline = System.nanoTime() + java.time.Duration.ofHours(1).toNanos();
        while (status(projection).equals("rebuilding")) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(projection + " still rebuilding after an hour");
            }
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long pending = target.call("GET", "/api/v1/orgs/" + probe.org() + "/seat-pools/" + probe.poolId(), null, probe.manager()).path("pending").asLong();
        if (pending != Math.min(FILL_SEATS, events)) {
            throw new IllegalStateException("after the rebuild the probe pool shows " + pending + " pending seats");
        }
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("rebuild " + projection + ": events (head position)", (double) stored);
        result.put("rebuild " + projection + ": s", seconds);
        result.put("rebuild " + projection + ": events/s", stored / seconds);
        result.put("raw batched INSERT rows/s (" + projection + " run)", raw);
        result.put("rebuild " + projection + " / raw batched INSERT", stored / seconds / raw);
        return result;
    }

    private long head() throws Exception {
        long head = -1;
        for (JsonNode progress : target.call("GET", "/api/v1/admin/projections", null, admin)) {
            head = Math.max(head, progress.path("headPosition").asLong());
        }
        return head;
    }

    private String status(String projection) throws Exception {
        for (JsonNode progress : target.call("GET", "/api/v1/admin/projections", null, admin)) {
            if (progress.path("name").asString().equals(projection)) {
                return progress.path("status").asString();
            }
        }
        throw new IllegalStateException("no projection named " + projection);
    }
}
