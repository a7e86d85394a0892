package io.seatledger.api.http;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.StoredEvents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and malformed bodies on every POST, PUT and PATCH: the service answers each with a problem or a
 * success, never a 5xx, a refused request stores nothing, and nothing stored holds a control character
 * (C0 and C1 controls, U+2028, lone surrogates, alongside huge numbers and huge strings). Seeded, so a failure
 * replays with {@code -Dseatledger.fuzz.seed=<seed>}.
 */
class FuzzTest extends ApiTest {

    static final int TRIES_PER_ENDPOINT = 40;

    @Autowired JdbcTemplate jdbc;

    @Override
    protected String organizationId() {
        return "fuzz-org";
    }

    @Test
    void noBodyMakesTheServiceFail() {
        long seed = Long.getLong("seatledger.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        String poolId = buyPool(20);
        Map<String, Object> seat = assign(poolId, "fuzz@example.com");
        String seatId = (String) seat.get("seatId");
        String token = SeatLifecycleHttpTest.invitationToken(seat);
        String org = "/api/v1/orgs/" + orgId;
        String pool = org + "/seat-pools/" + poolId;
        List<Endpoint> endpoints = List.of(
                new Endpoint(HttpMethod.POST, "/api/v1/orgs", Map.of("name", "Fuzz")),
                new Endpoint(HttpMethod.PUT, org + "/billing-manager", Map.of("userId", managerId, "email", managerEmail)),
                new Endpoint(HttpMethod.POST, org + "/seat-pools", Map.of("kind", "subscription", "seats", 3, "interval", "month", "pricing", perSeat(10))),
                new Endpoint(HttpMethod.PATCH, pool, Map.of("seats", 20, "effective", "now", "prorationBehavior", "none")),
                new Endpoint(HttpMethod.POST, pool + "/resize-preview", Map.of("seats", 4, "effective", "now")),
                new Endpoint(HttpMethod.POST, pool + "/interval", Map.of("interval", "month")),
                new Endpoint(HttpMethod.POST, pool + "/cancel", Map.of("atPeriodEnd", true)),
                new Endpoint(HttpMethod.POST, pool + "/seats", Map.of("email", "fuzz@example.com", "metadata", Map.of("team", "core"))),
                new Endpoint(HttpMethod.POST, pool + "/seats/bulk", Map.of("atomic", false, "seats", List.of(
                        Map.of("email", "fuzz-bulk@example.com", "metadata", Map.of("team", "core"))))),
                new Endpoint(HttpMethod.POST, pool + "/seats/" + seatId + "/transfer", Map.of("email", "fuzz@example.com")),
                new Endpoint(HttpMethod.POST, pool + "/seats/" + seatId + "/resend", Map.of()),
                new Endpoint(HttpMethod.POST, "/api/v1/invitations/" + token + "/claim", Map.of()),
                new Endpoint(HttpMethod.POST, "/api/v1/dev/tokens", Map.of("sub", "x", "org", "fuzz-org", "roles", List.of())),
                new Endpoint(HttpMethod.POST, org + "/checkout-sessions", Map.of("kind", "order", "seats", 2, "pricing", perSeat(10),
                        "successUrl", "https://example.com/ok", "cancelUrl", "https://example.com/no")),
                new Endpoint(HttpMethod.POST, "/api/v1/billing/stripe/webhook", Map.of("id", "evt_fuzz", "type", "invoice.paid",
                        "data", Map.of("object", Map.of("id", "in_fuzz")))),
                new Endpoint(HttpMethod.POST, "/api/v1/billing/reconciliations", Map.of()));
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (Endpoint endpoint : endpoints) {
            for (int i = 0; i < TRIES_PER_ENDPOINT; i++) {
                Body body = Body.random(random, endpoint.valid());
                long eventsBefore = storedEvents();
                WebTestClient.RequestBodySpec request = manager.method(endpoint.method()).uri(endpoint.path());
                if (body.contentType() != null) {
                    request = request.header("Content-Type", body.contentType());
                }
                if (random.nextInt(4) == 0) {
                    request = request.header(Idempotency.HEADER, random.nextInt(5) == 0 ? "k".repeat(300) : "fuzz-" + UUID.randomUUID());
                }
                EntityExchangeResult<byte[]> result = request.bodyValue(body.bytes()).exchange().expectBody().returnResult();
                int status = result.getStatus().value();
                statuses.merge(status, 1, Integer::sum);
                if (status >= 500) {
                    failures.add(endpoint.method() + " " + endpoint.path() + " " + body.describe() + " -> " + status);
                } else if (status >= 400) {
                    assertThat(result.getResponseHeaders().getContentType()).hasToString("application/problem+json");
                    assertThat(storedEvents()).as("a refused request stores nothing: %s %s", endpoint.path(), body.describe()).isEqualTo(eventsBefore);
                }
            }
        }
        assertThat(failures).as("5xx answers (seed %d)", seed).isEmpty();
        System.out.println("fuzz seed " + seed + ", answers by status: " + statuses);
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(endpoints.size() * TRIES_PER_ENDPOINT);
        assertThat(statuses).as("the bodies reach the parser, the validation and the media-type checks").containsKeys(400, 415);
        assertThat(StoredEvents.withControlCharacters(jdbc, orgId)).as("stored events holding a control character (seed %d)", seed).isZero();
    }

    private long storedEvents() {
        return jdbc.queryForObject("select count(*) from events.domain_event_entry", Long.class);
    }

    private record Endpoint(HttpMethod method, String path, Map<String, Object> valid) {
    }

    /** A request body and the content type it claims to be. */
    private record Body(byte[] bytes, String contentType, String kind) {

        private static final String[] TYPES = {"application/json", "application/json", "application/json", "application/x-ndjson", "text/plain",
                "application/xml", null, "application/json; charset=ISO-8859-1", "multipart/form-data; boundary=x"};

        String describe() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return kind + " " + contentType + " " + (text.length() > 120 ? text.substring(0, 120) + "…" : text);
        }

        static Body random(Random random, Map<String, Object> valid) {
            String type = TYPES[random.nextInt(TYPES.length)];
            return switch (random.nextInt(6)) {
                case 0 -> new Body(randomBytes(random), type, "bytes");
                case 1 -> new Body(json(randomValue(random, 3)).getBytes(StandardCharsets.UTF_8), type, "value");
                case 2 -> new Body(json(mutate(random, valid)).getBytes(StandardCharsets.UTF_8), type, "mutated");
                case 3 -> {
                    String text = json(valid);
                    yield new Body(text.substring(0, random.nextInt(Math.max(1, text.length()))).getBytes(StandardCharsets.UTF_8), type, "truncated");
                }
                case 4 -> new Body(("{\"" + "a".repeat(random.nextInt(3000)) + "\":" + "[".repeat(random.nextInt(2000))).getBytes(StandardCharsets.UTF_8), type, "deep");
                default -> new Body(json(mutate(random, mutate(random, valid))).getBytes(StandardCharsets.UTF_8), type, "twice-mutated");
            };
        }

        private static byte[] randomBytes(Random random) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            return bytes;
        }

        private static Map<String, Object> mutate(Random random, Map<String, Object> valid) {
            Map<String, Object> body = new java.util.LinkedHashMap<>(valid);
            List<String> keys = new ArrayList<>(body.keySet());
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (!keys.isEmpty()) {
                        body.remove(keys.get(random.nextInt(keys.size())));
                    }
                }
                case 1 -> body.put("unexpected" + random.nextInt(10), randomValue(random, 1));
                default -> {
                    if (!keys.isEmpty()) {
                        body.put(keys.get(random.nextInt(keys.size())), randomValue(random, 2));
                    }
                }
            }
            return body;
        }

        private static Object randomValue(Random random, int depth) {
            int choice = random.nextInt(depth <= 0 ? 9 : 11);
            return switch (choice) {
                case 0 -> null;
                case 1 -> random.nextBoolean();
                case 2 -> random.nextInt();
                case 3 -> random.nextLong();
                case 4 -> random.nextDouble() * 1e6;
                case 5 -> switch (random.nextInt(4)) {
                    case 0 -> Long.MAX_VALUE;
                    case 1 -> io.seatledger.messages.pricing.Pricing.MAX_AMOUNT + 1;
                    case 2 -> new java.math.BigDecimal("1e400");
                    default -> new java.math.BigInteger(130, random);
                };
                case 6 -> "";
                case 7 -> randomText(random);
                case 8 -> random.nextBoolean() ? -1 : 0;
                case 9 -> {
                    List<Object> list = new ArrayList<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        list.add(randomValue(random, depth - 1));
                    }
                    yield list;
                }
                default -> {
                    Map<String, Object> map = new java.util.LinkedHashMap<>();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        map.put(randomText(random), randomValue(random, depth - 1));
                    }
                    yield map;
                }
            };
        }

        private static String randomText(Random random) {
            String[] samples = {"a@b.co", "month", "year", "now", "period_end", "subscription", "order", "volume", "\u0000", "ünï©ødé 🎟",
                    "x".repeat(300), "{\"nested\":1}", "null", "-1", "1e309", "<script>", "' or 1=1 --",
                    "a\u0000@b.co", "a@b.co\u0000", "\u0007bell", "esc\u001b[31m", "del\u007f", "c1\u0085next", "csi\u009b", "line\u2028break",
                    "para\u2029graph", "tab\there", "new\nline", LONE_SURROGATE, "a" + LONE_SURROGATE + "@b.co", "é".repeat(70_000),
                    "Ame\u0301lie@b.co"};
            return samples[random.nextInt(samples.length)];
        }

        /** Stands for a lone surrogate, which a JSON writer refuses to write but a JSON text may carry escaped. */
        private static final String LONE_SURROGATE = "<lone-surrogate>";

        private static String json(Object value) {
            return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(value).replace(LONE_SURROGATE, "\\ud800");
        }
    }
}
