package io.seatledger.bench;

import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The HTTP API under load, each figure beside a raw baseline measured in the same run at the same concurrency:
 * <ul>
 *     <li>entitlement checks ({@code GET /orgs/{org}/entitlements/{user}}, bearer token, rate limit and Redis
 *     read included) vs a raw Redis GET;</li>
 *     <li>seat assignment ({@code POST .../seats}, answered once the event is stored and projected) vs a raw
 *     single-row PostgreSQL INSERT (autocommit);</li>
 *     <li>Stripe webhook acknowledgements (signature verified, event id recorded once) vs the same raw INSERT.</li>
 * </ul>
 * Load clients are closed loops on Reactor Netty with keep-alive (throughput); entitlement checks and assignments are
 * also sent open loop, at a fixed arrival rate, with latencies from each request's scheduled send time, so that
 * queueing is counted. The benchmark's organizations have rate limits
 * they cannot reach ({@code bench/bench.properties}), so the limiter stays in the path without refusing.
 */
final class HttpScenario {

    static final String ORG = "bench-org";
    static final String TENANT = "bench-tenant-";
    static final int ENTITLED_USERS = 500;
    static final String WEBHOOK_SECRET = "whsec_bench";

    private final Target target;
    private final int seconds;
    private final int entitlementClients;
    private final int assignClients;
    private final int openRate;
    private final int assignRate;
    private final reactor.netty.http.client.HttpClient netty;
    private final List<Tenant> assignPools = new ArrayList<>();
    private List<String> users;
    private String token;

    /** Open-loop requests in flight at most: a stalled service fails the requests beyond it instead of piling them up. */
    private static final int MAX_IN_FLIGHT = 2_000;

    HttpScenario(Target target, int seconds, int entitlementClients, int assignClients, int openRate, int assignRate) {
        this.target = target;
        this.openRate = openRate;
        this.assignRate = assignRate;
        this.seconds = seconds;
        this.entitlementClients = entitlementClients;
        this.assignClients = assignClients;
        this.netty = reactor.netty.http.client.HttpClient.create(ConnectionProvider.create("bench", 500)).baseUrl(target.base);
    }

    /**
     * Tenants (the same managers every time, so that the benchmark runs again against the same data), new pools and
     * entitled users; then a warm-up: the JIT needs tens of thousands of requests through every path. */
    void prepare() throws Exception {
        prepareEntitlementChecks();
        prepareAssignments();
        webhookAcks();
    }

    /** The assigning tenants, each with a new pool, and the assignment path warmed up. */
    void prepareAssignments() throws Exception {
        for (int i = 0; i < assignClients; i++) {
            String tenantToken = target.token("manager-" + i, TENANT + i, "manager-" + i + "@bench.example");
            target.call("POST", "/api/v1/orgs", Map.of("name", "Tenant " + i), tenantToken);
            assignPools.add(new Tenant(TENANT + i, tenantToken, buyPool(target, TENANT + i, tenantToken, 100_000)));
        }
        assignments(0);
    }

    /** The entitled users, and the entitlement path warmed up. */
    void prepareEntitlementChecks() throws Exception {
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        token = target.token("bench-manager", ORG, "manager@bench.example");
        target.call("POST", "/api/v1/orgs", Map.of("name", "Bench"), token);
        users = entitledUsers(suffix);
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            entitlementChecks();
        }
    }

    Map<String, Double> run(int run) throws Exception {
        Map<String, Double> result = runEntitlementChecks();
        Map<String, Double> assignments = runAssignments(run);
        double failed = result.get("failed requests") + assignments.get("failed requests");
        result.putAll(assignments);
        Load acks = webhookAcks();
        result.put("webhook acks /s", acks.perSecond());
        result.put("webhook / raw INSERT", acks.perSecond() / result.get("raw INSERT /s"));
        result.put("webhook p50 ms", acks.percentileMillis(50));
        result.put("webhook p99 ms", acks.percentileMillis(99));
        result.put("failed requests", failed + acks.failures());
        return result;
    }

    /** Single assignments, closed and open loop, beside a raw INSERT and the CRUD design at the same concurrency. */
    Map<String, Double> runAssignments(int run) throws Exception {
        Map<String, Double> result = new LinkedHashMap<>();
        Load rawInsert = RawBaselines.singleRowInserts(target.database(), assignClients, seconds);
        Load crud = RawBaselines.crudAssignments(target.database(), assignClients, seconds);
        Load assigns = assignments(run);
        Load openAssigns = Load.atRate(assignRate, seconds, assignClients, MAX_IN_FLIGHT, assignment(run, "open"));
        result.put("raw INSERT /s", rawInsert.perSecond());
        result.put("assign /s", assigns.perSecond());
        result.put("assign / raw INSERT", assigns.perSecond() / rawInsert.perSecond());
        result.put("CRUD assign (JDBC, one transaction) /s", crud.perSecond());
        result.put("assign / CRUD assign", assigns.perSecond() / crud.perSecond());
        result.put("assign p50 ms", assigns.percentileMillis(50));
        result.put("assign p99 ms", assigns.percentileMillis(99));
        result.put("assign open loop at " + assignRate + "/s: p50 ms", openAssigns.percentileMillis(50));
        result.put("assign open loop at " + assignRate + "/s: p99 ms", openAssigns.percentileMillis(99));
        result.put("failed requests", (double) (assigns.failures() + openAssigns.failures()));
        return result;
    }

    /**
     * Entitlement checks beside their baselines at the same concurrency: a raw Redis GET (the data), a bare Netty
     * server's fixed answer (the transport) and the service's own liveness route (the service's request path, no
     * token, no data).
     */
    Map<String, Double> runEntitlementChecks() throws Exception {
        Map<String, Double> result = new LinkedHashMap<>();
        Load rawGet = RawBaselines.redisGets(target.redisUri, entitlementClients, seconds);
        Load rawHttp = RawBaselines.bareNettyHttp(request -> Load.ofRequests(entitlementClients, seconds, request));
        Load liveness = liveness();
        Load checks = Load.ofRequests(entitlementClients, seconds, this::entitlementCheck);
        Load rawHttpOpen = RawBaselines.bareNettyHttp(request -> Load.atRate(openRate, seconds, entitlementClients, MAX_IN_FLIGHT, request));
        Load checksOpen = Load.atRate(openRate, seconds, entitlementClients, MAX_IN_FLIGHT, this::entitlementCheck);
        result.put("raw Redis GET /s", rawGet.perSecond());
        result.put("raw HTTP (bare Netty) /s", rawHttp.perSecond());
        result.put("liveness route /s", liveness.perSecond());
        result.put("entitlement checks /s", checks.perSecond());
        result.put("entitlement / raw GET", checks.perSecond() / rawGet.perSecond());
        result.put("entitlement / raw HTTP", checks.perSecond() / rawHttp.perSecond());
        result.put("liveness / raw HTTP", liveness.perSecond() / rawHttp.perSecond());
        result.put("entitlement / liveness", checks.perSecond() / liveness.perSecond());
        result.put("entitlement p50 ms", checks.percentileMillis(50));
        result.put("entitlement p99 ms", checks.percentileMillis(99));
        result.put("liveness p99 ms", liveness.percentileMillis(99));
        result.put("raw HTTP p99 ms", rawHttp.percentileMillis(99));
        result.put("raw GET p99 ms", rawGet.percentileMillis(99));
        result.put("entitlement open loop at " + openRate + "/s: p50 ms", checksOpen.percentileMillis(50));
        result.put("entitlement open loop at " + openRate + "/s: p99 ms", checksOpen.percentileMillis(99));
        result.put("entitlement open loop at " + openRate + "/s: p99.9 ms", checksOpen.percentileMillis(99.9));
        result.put("raw HTTP open loop at " + openRate + "/s: p99 ms", rawHttpOpen.percentileMillis(99));
        result.put("failed requests", (double) (checks.failures() + liveness.failures() + rawHttp.failures() + checksOpen.failures()
                + rawHttpOpen.failures()));
        return result;
    }

    /** The service's liveness probe: the whole shared request path (filters, security, observation) with no token and no data. */
    private Load liveness() {
        return Load.ofRequests(entitlementClients, seconds, client -> netty.get().uri("/actuator/health/liveness")
                .responseSingle((response, body) -> body.asString().map(text -> response.status().code() == 200 && text.contains("UP"))));
    }

    /** Users holding a claimed seat: assigned in bulk, each invitation claimed by its user. */
    private List<String> entitledUsers(String suffix) throws Exception {
        String poolId = buyPool(target, ORG, token, ENTITLED_USERS);
        List<Map<String, Object>> seats = new ArrayList<>();
        for (int i = 0; i < ENTITLED_USERS; i++) {
            seats.add(Map.of("email", "user-" + i + suffix + "@bench.example"));
        }
        JsonNode bulk = target.call("POST", "/api/v1/orgs/" + ORG + "/seat-pools/" + poolId + "/seats/bulk", Map.of("seats", seats, "atomic", true), token);
        List<String> entitled = new ArrayList<>();
        ExecutorService claimers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> claims = new ArrayList<>();
            for (JsonNode assigned : bulk.path("assigned")) {
                String email = assigned.path("email").asString();
                String user = email.substring(0, email.indexOf('@'));
                entitled.add(user);
                String invitation = assigned.path("invitation").path("token").asString();
                claims.add(claimers.submit(() -> target.call("POST", "/api/v1/invitations/" + invitation + "/claim", null, target.token(user, ORG, email))));
            }
            for (Future<?> claim : claims) {
                claim.get();
            }
        } finally {
            claimers.shutdownNow();
        }
        return entitled;
    }

    private Load entitlementChecks() {
        return Load.ofRequests(entitlementClients, seconds, this::entitlementCheck);
    }

    private Mono<Boolean> entitlementCheck(int client) {
        String user = users.get(ThreadLocalRandom.current().nextInt(users.size()));
        return netty.headers(headers -> headers.add("Authorization", "Bearer " + token))
                .get().uri("/api/v1/orgs/" + ORG + "/entitlements/" + user)
                .responseSingle((response, body) -> body.asString().map(text -> response.status().code() == 200 && text.contains("\"entitled\":true")));
    }

    private Load assignments(int run) {
        return Load.ofRequests(assignClients, seconds, assignment(run, "closed"));
    }

    /** Assignments of new addresses, client {@code i} into its own tenant's pool. */
    private IntFunction<Mono<Boolean>> assignment(int run, String load) {
        AtomicInteger sequence = new AtomicInteger();
        String prefix = "r" + run + "-" + load + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        return client -> netty
                .headers(headers -> headers.add("Authorization", "Bearer " + assignPools.get(client).token()).add("Content-Type", "application/json"))
                .post().uri("/api/v1/orgs/" + assignPools.get(client).orgId() + "/seat-pools/" + assignPools.get(client).poolId() + "/seats")
                .send(ByteBufMono.fromString(Mono.just("{\"email\":\"" + prefix + sequence.incrementAndGet() + "@bench.example\"}")))
                .responseSingle((response, body) -> body.asString().map(text -> response.status().code() == 201));
    }

    /**
     * Stripe webhook calls, each a new signed event, acknowledged (verified, recorded once) by the service. The events
     * name no subscription, so applying them in the background calls no Stripe but runs the whole path.
     */
    private Load webhookAcks() throws Exception {
        AtomicInteger sequence = new AtomicInteger();
        return Load.ofThreads(assignClients, seconds, client -> {
            String payload = target.json().writeValueAsString(Map.of("id", "evt_bench_" + UUID.randomUUID(), "object", "event", "type", "invoice.paid",
                    "created", Instant.now().getEpochSecond(), "data", Map.of("object", Map.of("id", "in_bench_" + sequence.incrementAndGet(),
                            "object", "invoice"))));
            HttpRequest request = target.request("/api/v1/billing/stripe/webhook", null).header("Content-Type", "application/json")
                    .header("Stripe-Signature", stripeSignature(payload)).POST(HttpRequest.BodyPublishers.ofString(payload)).build();
            return target.http().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    /** Stripe's signature scheme: {@code t=<seconds>,v1=<hex HMAC-SHA256 of "t.payload">}. */
    private static String stripeSignature(String payload) throws Exception {
        long timestamp = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
    }

    static String buyPool(Target target, String org, String bearer, int seats) throws Exception {
        return target.call("POST", "/api/v1/orgs/" + org + "/seat-pools", Map.of("kind", "subscription", "seats", seats, "interval", "month",
                "pricing", Map.of("currency", "eur", "tiersMode", "volume", "tiers", List.of(Map.of("unitAmount", 1000, "flatAmount", 0)))), bearer)
                .path("poolId").asString();
    }

    /** An assigning client's own organization, manager token and pool. */
    private record Tenant(String orgId, String token, String poolId) {
    }
}
