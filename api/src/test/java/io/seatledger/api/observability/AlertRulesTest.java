package io.seatledger.api.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules (ops/prometheus/alerts.yml) and the dashboard ask only for metrics this service exports: each rule
 * is complete, and every metric its expression names is in a scrape of the running service, or appears only after
 * an event the test cannot cheaply cause (then its Micrometer name is registered in the sources and maps to it).
 */
class AlertRulesTest extends ApiTest {

    private static final Path ROOT = Path.of("..");

    /**
     * Metrics that appear only after an event, by Prometheus name: the Micrometer counter that produces them
     * ({@code name|baseUnit} where it has a unit).
     */
    private static final Map<String, String> AFTER_AN_EVENT = Map.of(
            // the first change Stripe refuses after its retries (BillingTest makes one)
            "seatledger_billing_sync_failures_total", "seatledger.billing.sync.failures",
            // the first drift a reconciliation finds or repairs (BillingTest reconciles drifts of each kind)
            "seatledger_billing_drift_found_total", "seatledger.billing.drift.found",
            "seatledger_billing_drift_repaired_total", "seatledger.billing.drift.repaired",
            // the first request a rate limit refuses (RateLimitTest makes them)
            "seatledger_http_rate_limited_total", "seatledger.http.rate.limited",
            // the first change carried to Stripe (BillingTest)
            "seatledger_billing_sync_total", "seatledger.billing.sync",
            // the first check answered by this instance's own buckets while Redis is away (RedisOutageTest)
            "seatledger_http_rate_limit_local_requests_total", "seatledger.http.rate.limit.local|requests");

    /**
     * Words of the {@code seatledger_} family that are not metrics: database roles, LISTEN channels, metadata keys
     * put on Stripe objects.
     */
    private static final Set<String> NOT_METRICS = Set.of("seatledger_owner", "seatledger_runtime", "seatledger_reader", "seatledger_app",
            "seatledger_changes", "seatledger_pool_versions", "seatledger_org_id", "seatledger_pool_id");

    /** Series Prometheus makes itself for every target. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up");

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "le", "inf", "nan");

    @Test
    @SuppressWarnings("unchecked")
    void everyRuleHasAnExpressionADelayASeverityAndWordsForTheOperator() throws IOException {
        List<Map<String, Object>> rules = rules();
        assertThat(rules).extracting(rule -> rule.get("alert")).doesNotHaveDuplicates()
                .contains("SeatLedgerProjectionLagging", "SeatLedgerProjectionDeadLetters", "SeatLedgerReconciliationDrift",
                        "SeatLedgerHttp5xxRate", "SeatLedgerRateLimitFallback", "SeatLedgerStripeSyncFailing", "SeatLedgerStripeWebhooksFailing",
                        "SeatLedgerWebhooksFailing", "SeatLedgerWebhookBacklogFull");
        for (Map<String, Object> rule : rules) {
            String name = String.valueOf(rule.get("alert"));
            assertThat(String.valueOf(rule.get("expr"))).as(name).isNotBlank();
            assertThat(String.valueOf(rule.get("for"))).as(name).matches("\\d+[smh]");
            assertThat(((Map<String, Object>) rule.get("labels")).get("severity")).as(name).isIn("warning", "critical");
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(String.valueOf(annotations.get("summary"))).as(name).isNotBlank().isNotEqualTo("null");
            assertThat(String.valueOf(annotations.get("description"))).as(name).isNotBlank().isNotEqualTo("null");
        }
        assertThat(Files.readString(ROOT.resolve("ops/prometheus/prometheus.yml"))).contains("rule_files", "/etc/prometheus/alerts.yml");
    }

    @Test
    void theRulesAndTheDashboardNameOnlyMetricsTheServiceExports() throws IOException {
        String scrape = scrapeAfterAWebhook();

        Set<String> named = new TreeSet<>();
        rules().forEach(rule -> named.addAll(metricsIn(String.valueOf(rule.get("expr")))));
        assertThat(named).as("the expressions name metrics").contains("seatledger_projection_lag_events", "seatledger_http_rate_limit_fallback");
        for (JsonNode panel : JsonMapper.builder().build().readTree(Files.readString(ROOT.resolve("ops/grafana/dashboards/seat-ledger.json"))).path("panels")) {
            panel.path("targets").forEach(target -> named.addAll(metricsIn(target.path("expr").asString())));
        }
        named.removeAll(FROM_PROMETHEUS);
        assertExported(named, scrape);
    }

    /**
     * Every metric the docs, the README and the sources' Javadoc name is one the service exports (or a counter
     * registered for an event the test does not cause), so a renamed metric cannot leave its old name behind.
     */
    @Test
    void theDocsAndTheJavadocNameOnlyMetricsTheServiceExports() throws IOException {
        String scrape = scrapeAfterAWebhook();
        List<Path> texts = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md")).forEach(texts::add);
        }
        for (String module : List.of("api", "billing", "projections", "query-side", "command-side", "messages")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(texts::add);
            }
        }
        Set<String> named = new TreeSet<>();
        for (Path text : texts) {
            Matcher metric = Pattern.compile("\\bseatledger_[a-z_]+[a-z]").matcher(Files.readString(text));
            while (metric.find()) {
                named.add(metric.group());
            }
        }
        named.removeAll(NOT_METRICS);
        assertThat(named).as("the docs name metrics").contains("seatledger_projection_lag_events", "seatledger_seats_capacity_seats");
        assertExported(named, scrape);
    }

    /** A scrape after a Stripe delivery without a signature (counted in seatledger_billing_webhooks_total, then refused). */
    private String scrapeAfterAWebhook() {
        api.anonymous().post().uri("/api/v1/billing/stripe/webhook").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isBadRequest();
        return api.anonymous().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** Each metric is in the scrape (a histogram by its series), or a counter registered for an event the test does not cause. */
    private static void assertExported(Set<String> metrics, String scrape) throws IOException {
        for (String metric : metrics) {
            if (AFTER_AN_EVENT.containsKey(metric)) {
                assertProducedBy(metric, AFTER_AN_EVENT.get(metric));
            } else {
                assertThat(scrape).as(metric + " in the scrape").containsPattern("(?m)^" + Pattern.quote(metric) + "(_bucket|_count|_sum|_max)?[{ ]");
            }
        }
    }

    /** The counter is registered somewhere in the sources under this Micrometer name, which Prometheus shows as metric. */
    private static void assertProducedBy(String metric, String counter) throws IOException {
        String micrometerName = counter.split("\\|")[0];
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder(micrometerName).baseUnit(counter.contains("|") ? counter.split("\\|")[1] : null).register(registry).increment();
        assertThat(registry.scrape()).containsPattern("(?m)^" + Pattern.quote(metric) + "[{ ]");
        List<Path> sources = new ArrayList<>();
        for (String module : List.of("api", "billing", "projections", "query-side", "command-side")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        boolean registered = false;
        for (Path source : sources) {
            registered |= Files.readString(source).contains("\"" + micrometerName + "\"");
        }
        assertThat(registered).as(micrometerName + " is registered in the sources").isTrue();
    }

    /** Metric names in a PromQL expression: identifiers left once strings, label matchers, groupings and ranges are gone. */
    static Set<String> metricsIn(String expression) {
        String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^]]*]", " ");
        Set<String> metrics = new TreeSet<>();
        Matcher identifier = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\()?").matcher(bare);
        while (identifier.find()) {
            String name = identifier.group(1);
            if (identifier.group(2) == null && !PROMQL_WORDS.contains(name.toLowerCase())) {
                metrics.add(name);
            }
        }
        return metrics;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(ROOT.resolve("ops/prometheus/alerts.yml")));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }
}
