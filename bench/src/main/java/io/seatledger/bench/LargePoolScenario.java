package io.seatledger.bench;

import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.resources.ConnectionProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Single assignments into one large pool, as a large customer's admins and integrations make them: a pool of
 * {@value #POOL_SEATS} seats, {@code prefilled} of them assigned first in bulk, then {@code clients} clients assigning
 * one seat each per request, one request in ten for an address that already holds a seat (refused with 409, as
 * re-sent invitations and duplicate imports are). Every command of the pool runs under its one lock, so what one
 * command costs, every other waits for. Baseline: single-row INSERTs at the same concurrency, in the same run.
 */
final class LargePoolScenario {

    static final String ORG = "bench-large-pool";
    static final int POOL_SEATS = 100_000;
    private static final String SEATED = "seated-0@" + ORG + ".example";

    private final Target target;
    private final int seconds;
    private final int clients;
    private final int prefilled;
    private final reactor.netty.http.client.HttpClient netty;
    private String manager;
    private String poolId;

    LargePoolScenario(Target target, int seconds, int clients, int prefilled) {
        if (prefilled < 1 || prefilled >= POOL_SEATS) {
            throw new IllegalArgumentException("the pool is prefilled with 1 to " + (POOL_SEATS - 1) + " seats, not " + prefilled);
        }
        this.target = target;
        this.seconds = seconds;
        this.clients = clients;
        this.prefilled = prefilled;
        this.netty = reactor.netty.http.client.HttpClient.create(ConnectionProvider.create("bench-large-pool", 100)).baseUrl(target.base);
    }

    /** The organization (the same every time: bench/bench.properties lifts its rate limit), a new pool, prefilled, and a warm-up. */
    void prepare() throws Exception {
        manager = target.token("bench-large-pool-manager", ORG, "manager@" + ORG + ".example");
        target.call("POST", "/api/v1/orgs", Map.of("name", "Large pool"), manager);
        poolId = HttpScenario.buyPool(target, ORG, manager, POOL_SEATS);
        OnboardingScenario.assignInBulk(target, ORG, poolId, manager, "seated-", 0, prefilled);
        Load.ofRequests(clients, Math.max(1, seconds / 2), assignment("warm-up"));
    }

    Map<String, Double> run(int run) throws Exception {
        Load rawInsert = RawBaselines.singleRowInserts(target.database(), clients, seconds);
        Load assigns = Load.ofRequests(clients, seconds, assignment("r" + run));
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("raw INSERT /s", rawInsert.perSecond());
        result.put("large pool: assign /s (one in ten refused)", assigns.perSecond());
        result.put("large pool: assign / raw INSERT", assigns.perSecond() / rawInsert.perSecond());
        result.put("large pool: assign p50 ms", assigns.percentileMillis(50));
        result.put("large pool: assign p99 ms", assigns.percentileMillis(99));
        result.put("large pool: wrong answers", (double) assigns.failures());
        return result;
    }

    /** A new address answered 201; every tenth request an address already seated, answered 409. */
    private IntFunction<Mono<Boolean>> assignment(String label) {
        AtomicInteger sequence = new AtomicInteger();
        String prefix = label + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        return client -> {
            int n = sequence.incrementAndGet();
            boolean seated = n % 10 == 0;
            String email = seated ? SEATED : prefix + n + "@" + ORG + ".example";
            return netty.headers(headers -> headers.add("Authorization", "Bearer " + manager).add("Content-Type", "application/json"))
                    .post().uri("/api/v1/orgs/" + ORG + "/seat-pools/" + poolId + "/seats")
                    .send(ByteBufMono.fromString(Mono.just("{\"email\":\"" + email + "\"}")))
                    .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                            .map(text -> response.status().code() == (seated ? 409 : 201)));
        };
    }
}
