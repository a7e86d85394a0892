package io.seatledger.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.resources.ConnectionProvider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP API under load, each figure beside a raw baseline measured in the same run at the same concurrency:
 * <ul>
 *     <li>entitlement checks ({@code GET /orgs/{org}/entitlements/{user}}, bearer token, rate limit and Redis
 *     read included) vs a raw Redis GET;</li>
 *     <li>seat assignment ({@code POST .../seats}, answered once the event is stored and projected) vs a raw
 *     single-row PostgreSQL INSERT (autocommit).</li>
 * </ul>
 * Clients, service, PostgreSQL and Redis share this machine's cores. Load clients are closed loops (the next
 * request when the last is answered), on Reactor Netty with keep-alive.
 */
final class HttpScenario {

    static final String ORG = "bench-org";
    static final String TENANT = "bench-tenant-";
    static final int ENTITLED_USERS = 500;
    static final String WEBHOOK_SECRET = "whsec_bench";

    private final int runs;
    private final int seconds;
    private final int entitlementClients;
    private final int assignClients;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** The load's client: non-blocking, keep-alive, so that the client's own cost on these shared cores stays small. */
    private reactor.netty.http.client.HttpClient netty;
    private String base;
    private String token;

    HttpScenario(int runs, int seconds, int entitlementClients, int assignClients) {
        this.runs = runs;
        this.seconds = seconds;
        this.entitlementClients = entitlementClients;
        this.assignClients = assignClients;
    }

    void run() throws Exception {
        String unlimited = "1000000000";
        List<String> arguments = new ArrayList<>();
        List<String> organizations = new ArrayList<>(List.of(ORG));
        for (int i = 0; i < assignClients; i++) {
            organizations.add(TENANT + i);
        }
        for (String org : organizations) {
            for (String bucket : List.of("api", "entitlements")) {
                arguments.add("--seatledger.rate-limit.organizations." + org + "." + bucket + ".requests-per-second=" + unlimited);
                arguments.add("--seatledger.rate-limit.organizations." + org + "." + bucket + ".burst=" + unlimited);
            }
        }
        // Webhooks are acknowledged with Stripe configured; the events sent name no subscription, so applying them
        // calls nothing (the API base is never reached).
        arguments.addAll(List.of("--seatledger.billing.stripe.api-key=sk_bench_unused", "--seatledger.billing.stripe.api-base=http://127.0.0.1:9",
                "--seatledger.billing.stripe.webhook-secret=" + WEBHOOK_SECRET));
        try (ConfigurableApplicationContext app = BenchApp.start(arguments.toArray(String[]::new))) {
            base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            netty = reactor.netty.http.client.HttpClient.create(ConnectionProvider.create("bench", 500)).baseUrl(base);
            token = token("bench-manager", ORG, "manager@bench.example");
            call("POST", "/api/v1/orgs", Map.of("name", "Bench"), token);
            List<String> users = entitledUsers();
            List<Tenant> assignPools = new ArrayList<>();
            for (int i = 0; i < assignClients; i++) {
                String tenantToken = token("manager-" + i, TENANT + i, "manager-" + i + "@bench.example");
                call("POST", "/api/v1/orgs", Map.of("name", "Tenant " + i), tenantToken);
                assignPools.add(new Tenant(TENANT + i, tenantToken, buyPool(TENANT + i, tenantToken, 100_000)));
            }
            int redisPort = Integer.parseInt(app.getEnvironment().getProperty("spring.data.redis.port"));
            DataSource dataSource = app.getBean(DataSource.class);
            prepareRawInsert(dataSource);

            // The JIT needs tens of thousands of requests through every path before figures mean anything.
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                entitlementChecks(users);
            }
            assignments(assignPools, 0);

            List<Map<String, Double>> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Double> result = new LinkedHashMap<>();
                Load rawGet = rawRedisGets(redisPort);
                Load checks = entitlementChecks(users);
                result.put("raw Redis GET /s", rawGet.perSecond());
                result.put("entitlement checks /s", checks.perSecond());
                result.put("entitlement / raw GET", checks.perSecond() / rawGet.perSecond());
                result.put("entitlement p50 ms", checks.percentileMillis(50));
                result.put("entitlement p99 ms", checks.percentileMillis(99));
                result.put("raw GET p99 ms", rawGet.percentileMillis(99));
                Load rawInsert = rawInserts(dataSource);
                Load assigns = assignments(assignPools, run);
                result.put("raw INSERT /s", rawInsert.perSecond());
                result.put("assign /s", assigns.perSecond());
                result.put("assign / raw INSERT", assigns.perSecond() / rawInsert.perSecond());
                result.put("assign p50 ms", assigns.percentileMillis(50));
                result.put("assign p99 ms", assigns.percentileMillis(99));
                Load acks = webhookAcks();
                result.put("webhook acks /s", acks.perSecond());
                result.put("webhook / raw INSERT", acks.perSecond() / rawInsert.perSecond());
                result.put("webhook p50 ms", acks.percentileMillis(50));
                result.put("webhook p99 ms", acks.percentileMillis(99));
                result.put("failed requests", (double) (checks.failures() + assigns.failures() + acks.failures()));
                System.out.printf("run %d: %s%n", run, format(result));
                results.add(result);
            }
            System.out.printf("%nHTTP API, median of %d runs (%d s each; %d entitlement clients, %d assigning clients, one tenant and pool each):%n",
                    runs, seconds, entitlementClients, assignClients);
            for (String figure : results.get(0).keySet()) {
                System.out.printf("  %-26s %12.3f%n", figure, Stats.median(results.stream().map(result -> result.get(figure)).toList()));
            }
        }
    }

    /** Users holding a claimed seat: assigned in bulk, each invitation claimed by its user. */
    private List<String> entitledUsers() throws Exception {
        String poolId = buyPool(ORG, token, ENTITLED_USERS);
        List<Map<String, Object>> seats = new ArrayList<>();
        for (int i = 0; i < ENTITLED_USERS; i++) {
            seats.add(Map.of("email", "user-" + i + "@bench.example"));
        }
        JsonNode bulk = call("POST", "/api/v1/orgs/" + ORG + "/seat-pools/" + poolId + "/seats/bulk", Map.of("seats", seats, "atomic", true), token);
        List<String> users = new ArrayList<>();
        ExecutorService claimers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> claims = new ArrayList<>();
            for (JsonNode assigned : bulk.path("assigned")) {
                String email = assigned.path("email").asString();
                String user = email.substring(0, email.indexOf('@'));
                users.add(user);
                String invitation = assigned.path("invitation").path("token").asString();
                claims.add(claimers.submit(() -> call("POST", "/api/v1/invitations/" + invitation + "/claim", null, token(user, ORG, email))));
            }
            for (Future<?> claim : claims) {
                claim.get();
            }
        } finally {
            claimers.shutdownNow();
        }
        return users;
    }

    private Load entitlementChecks(List<String> users) {
        return httpLoad(entitlementClients, client -> {
            String user = users.get(ThreadLocalRandom.current().nextInt(users.size()));
            return netty.headers(headers -> headers.add("Authorization", "Bearer " + token))
                    .get().uri("/api/v1/orgs/" + ORG + "/entitlements/" + user)
                    .responseSingle((response, body) -> body.asString().map(text -> response.status().code() == 200 && text.contains("\"entitled\":true")));
        });
    }

    private Load assignments(List<Tenant> tenants, int run) {
        AtomicInteger sequence = new AtomicInteger();
        return httpLoad(assignClients, client -> netty
                .headers(headers -> headers.add("Authorization", "Bearer " + tenants.get(client).token()).add("Content-Type", "application/json"))
                .post().uri("/api/v1/orgs/" + tenants.get(client).orgId() + "/seat-pools/" + tenants.get(client).poolId() + "/seats")
                .send(ByteBufMono.fromString(Mono.just("{\"email\":\"r" + run + "-" + sequence.incrementAndGet() + "@bench.example\"}")))
                .responseSingle((response, body) -> body.asString().map(text -> response.status().code() == 201)));
    }

    /** {@code clients} concurrent HTTP clients, each sending its next request when the last is answered, for the scenario's duration. */
    private Load httpLoad(int clients, java.util.function.IntFunction<Mono<Boolean>> request) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger failures = new AtomicInteger();
        List<Long> all = java.util.Collections.synchronizedList(new ArrayList<>());
        Flux.range(0, clients)
                .flatMap(client -> Mono.defer(() -> {
                            long started = System.nanoTime();
                            return request.apply(client).onErrorReturn(false).doOnNext(ok -> {
                                if (ok) {
                                    all.add(System.nanoTime() - started);
                                } else {
                                    failures.incrementAndGet();
                                }
                            });
                        }).repeat(() -> System.nanoTime() < deadline), clients)
                .blockLast(Duration.ofSeconds(seconds + 60L));
        return new Load(new ArrayList<>(all), seconds, failures.get());
    }

    /** Stripe webhook calls, each a new signed event, acknowledged (verified, recorded once) by the service. */
    private Load webhookAcks() throws Exception {
        AtomicInteger sequence = new AtomicInteger();
        return load(assignClients, client -> {
            String payload = json.writeValueAsString(Map.of("id", "evt_bench_" + UUID.randomUUID(), "object", "event", "type", "invoice.paid",
                    "created", Instant.now().getEpochSecond(), "data", Map.of("object", Map.of("id", "in_bench_" + sequence.incrementAndGet(),
                            "object", "invoice"))));
            HttpRequest request = request("/api/v1/billing/stripe/webhook", null).header("Content-Type", "application/json")
                    .header("Stripe-Signature", stripeSignature(payload)).POST(HttpRequest.BodyPublishers.ofString(payload)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    /** Stripe's signature scheme: {@code t=<seconds>,v1=<hex HMAC-SHA256 of "t.payload">}. */
    private static String stripeSignature(String payload) throws Exception {
        long timestamp = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
    }

    private Load rawRedisGets(int port) throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.set("bench:raw", "{\"entitled\":true}");
            return load(entitlementClients, ignored -> redis.get("bench:raw") != null);
        } finally {
            client.shutdown();
        }
    }

    private void prepareRawInsert(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); var ddl = connection.createStatement()) {
            ddl.execute("create schema if not exists bench");
            ddl.execute("create table if not exists bench.raw_seat (id bigserial primary key, pool_id text not null, email text not null, "
                    + "created_at timestamptz not null default now())");
        }
    }

    private Load rawInserts(DataSource dataSource) throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < assignClients; i++) {
                Connection connection = dataSource.getConnection();
                connection.setAutoCommit(true);
                connections.add(connection);
            }
            return load(assignClients, client -> {
                try (PreparedStatement insert = connections.get(client).prepareStatement("insert into bench.raw_seat (pool_id, email) values (?, ?)")) {
                    insert.setString(1, "pool-" + client);
                    insert.setString(2, UUID.randomUUID() + "@bench.example");
                    return insert.executeUpdate() == 1;
                }
            });
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    /** {@code clients} threads calling {@code operation} back to back for the scenario's duration. */
    private Load load(int clients, Operation operation) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<List<Long>>> perClient = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int client = 0; client < clients; client++) {
            int id = client;
            perClient.add(threads.submit(() -> {
                List<Long> nanos = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    long started = System.nanoTime();
                    boolean ok;
                    try {
                        ok = operation.call(id);
                    } catch (Exception e) {
                        ok = false;
                    }
                    if (ok) {
                        nanos.add(System.nanoTime() - started);
                    } else {
                        failures.incrementAndGet();
                    }
                }
                return nanos;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> client : perClient) {
            all.addAll(client.get());
        }
        threads.shutdown();
        return new Load(all, seconds, failures.get());
    }

    private String token(String subject, String org, String email) throws Exception {
        return call("POST", "/api/v1/dev/tokens", Map.of("sub", subject, "org", org, "email", email, "roles", List.of()), null).path("token").asString();
    }

    private String buyPool(String org, String bearer, int seats) throws Exception {
        return call("POST", "/api/v1/orgs/" + org + "/seat-pools", Map.of("kind", "subscription", "seats", seats, "interval", "month",
                "pricing", Map.of("currency", "eur", "tiersMode", "volume", "tiers", List.of(Map.of("unitAmount", 1000, "flatAmount", 0)))), bearer)
                .path("poolId").asString();
    }

    /** An assigning client's own organization, manager token and pool. */
    private record Tenant(String orgId, String token, String poolId) {
    }

    private JsonNode call(String method, String path, Object body, String bearer) throws Exception {
        HttpRequest.Builder request = request(path, bearer);
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return bearer == null ? request : request.header("Authorization", "Bearer " + bearer);
    }

    private static String format(Map<String, Double> result) {
        StringBuilder text = new StringBuilder();
        result.forEach((name, value) -> text.append(name).append('=').append(String.format("%.3f", value)).append("  "));
        return text.toString();
    }

    @FunctionalInterface
    private interface Operation {
        boolean call(int client) throws Exception;
    }

    private record Load(List<Long> nanos, int seconds, int failures) {
        double perSecond() {
            return nanos.size() / (double) seconds;
        }

        double percentileMillis(double percentile) {
            return nanos.isEmpty() ? Double.NaN : Stats.percentile(nanos.stream().map(n -> n / 1e6).toList(), percentile);
        }
    }
}
