package io.seatledger.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service started apart from the benchmark (see docs/benchmarks.md), and the PostgreSQL and Redis it runs on,
 * which the raw baselines use directly. Tokens come from the service's dev-token issuer, so the service runs
 * with {@code seatledger.security.dev-tokens=true} (bench/bench.properties sets it).
 */
final class Target implements AutoCloseable {

    private static final Pattern RESIDENT = Pattern.compile("(?m)^process_resident_memory_bytes (\\S+)$");

    final String base;
    final String redisUri;
    private final HikariDataSource database;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    Target(String base, String jdbcUrl, String jdbcUser, String jdbcPassword, String redisUri) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.redisUri = redisUri;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(jdbcUser);
        config.setPassword(jdbcPassword);
        config.setMaximumPoolSize(20);
        config.setPoolName("bench-raw");
        this.database = new HikariDataSource(config);
    }

    static Target of(Map<String, String> options) {
        return new Target(options.getOrDefault("url", "http://localhost:8080"),
                options.getOrDefault("jdbc-url", "jdbc:postgresql://localhost:55432/postgres"),
                options.getOrDefault("jdbc-user", "postgres"), options.getOrDefault("jdbc-password", ""),
                options.getOrDefault("redis-url", "redis://127.0.0.1:56379"));
    }

    /** Fails fast, with what to do, when nothing answers at the service's address. */
    Target awaitUp() throws Exception {
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (health.statusCode() != 200) {
                throw new IllegalStateException("the service at " + base + " is not UP: " + health.body());
            }
        } catch (java.net.ConnectException e) {
            throw new IllegalStateException("no service at " + base + "; start it first (docs/benchmarks.md)", e);
        }
        return this;
    }

    DataSource database() {
        return database;
    }

    JsonMapper json() {
        return json;
    }

    String token(String subject, String org, String email, String... roles) throws Exception {
        return call("POST", "/api/v1/dev/tokens", Map.of("sub", subject, "org", org, "email", email, "roles", List.of(roles)), null)
                .path("token").asString();
    }

    /** An operator's token (role {@code admin}), for the projections' progress and replays. */
    String adminToken() throws Exception {
        return token("bench-admin", HttpScenario.ORG, "admin@bench.example", "admin");
    }

    JsonNode call(String method, String path, Object body, String bearer) throws Exception {
        HttpRequest.Builder request = request(path, bearer);
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return answer(method, path, request.build());
    }

    JsonNode send(String method, String path, String contentType, String body, String bearer) throws Exception {
        return answer(method, path, request(path, bearer).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode answer(String method, String path, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2));
        return bearer == null ? request : request.header("Authorization", "Bearer " + bearer);
    }

    HttpClient http() {
        return http;
    }

    /** The service's resident set as it reports it ({@code process_resident_memory_bytes}); empty where it cannot. */
    OptionalDouble residentBytes() {
        try {
            HttpResponse<String> scrape = http.send(request("/actuator/prometheus", null).build(), HttpResponse.BodyHandlers.ofString());
            Matcher resident = RESIDENT.matcher(scrape.body());
            return resident.find() ? OptionalDouble.of(Double.parseDouble(resident.group(1))) : OptionalDouble.empty();
        } catch (Exception e) {
            return OptionalDouble.empty();
        }
    }

    /** Waits (at most 15 minutes) until every projection (read models, Redis counters, audit) has processed every stored event. */
    void awaitProjectionsCaughtUp(String adminToken) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (true) {
            boolean caughtUp = true;
            for (JsonNode projection : call("GET", "/api/v1/admin/projections", null, adminToken)) {
                boolean tracking = projection.path("position").asLong() >= 0;
                caughtUp &= !tracking || projection.path("lag").asLong() == 0 && !projection.path("status").asString().equals("rebuilding");
            }
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the projections did not catch up within 15 minutes: " + call("GET", "/api/v1/admin/projections", null, adminToken));
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
