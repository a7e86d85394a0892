package io.seatledger.api.observability;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production topology in docker-compose.yml holds together: the services the operations guide names,
 * two application instances on Axon Server, Prometheus scraping both, Grafana provisioned with the dashboard.
 * Where Debian's docker-compose is installed, its own validation runs too.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..");

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileRunsTwoInstancesOnAxonServerWithMetricsAndDashboards() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("axonserver", "postgres", "redis", "app-1", "app-2", "prometheus", "grafana");
        for (String app : List.of("app-1", "app-2")) {
            Map<String, Object> environment = (Map<String, Object>) services.get(app).get("environment");
            assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "axonserver").containsEntry("AXON_AXONSERVER_SERVERS", "axonserver:8124")
                    .containsKeys("SPRING_DATASOURCE_URL", "SPRING_R2DBC_URL", "SPRING_DATA_REDIS_HOST")
                    .doesNotContainKey("SEATLEDGER_SECURITY_DEV_TOKENS")
                    .containsEntry("SPRING_DATASOURCE_USERNAME", "seatledger_app").containsEntry("SPRING_R2DBC_USERNAME", "seatledger_app")
                    .containsEntry("SPRING_FLYWAY_USER", "seatledger_owner");
            assertThat(String.valueOf(environment.get("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI"))).as("an issuer is required").contains(":?");
            assertThat(String.valueOf(environment.get("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES"))).as("audiences are required").contains(":?");
        }
        assertThat(Files.readString(ROOT.resolve("ops/prometheus/prometheus.yml"))).contains("app-1:8080", "app-2:8080", "/actuator/prometheus");
        assertThat(Files.readString(ROOT.resolve("ops/postgres/init/01-pgaudit.sql"))).contains("CREATE EXTENSION IF NOT EXISTS pgaudit")
                .contains("IN SCHEMA read_model GRANT INSERT, UPDATE, DELETE");
        assertThat(Files.readString(ROOT.resolve("ops/postgres/init/00-roles.sh"))).contains("CREATE ROLE seatledger_owner", "CREATE ROLE seatledger_app",
                "IN ROLE seatledger_runtime").doesNotContainPattern("PASSWORD '[^:]");

        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(ROOT.resolve("ops/grafana/dashboards/seat-ledger.json")));
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(14);
        assertThat(dashboard.path("templating").path("list").findValuesAsString("name")).containsExactly("job", "instance");
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets").size()).as(panel.path("title").asString()).isPositive();
        }
    }

    @Test
    void theImageIsLayeredAndReportsItsReadiness() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile.indexOf("go-offline")).as("dependencies are resolved before the sources are copied")
                .isPositive().isLessThan(dockerfile.indexOf("COPY . ."));
        assertThat(dockerfile.indexOf("COPY api/pom.xml")).isLessThan(dockerfile.indexOf("go-offline"));
        java.util.regex.Matcher modules = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (modules.find()) {
            String copy = "COPY " + modules.group(1) + "/pom.xml " + modules.group(1) + "/";
            assertThat(dockerfile.indexOf(copy)).as("every module's pom is there for the reactor before go-offline: " + copy)
                    .isPositive().isLessThan(dockerfile.indexOf("go-offline"));
        }
        assertThat(dockerfile).contains("-Djarmode=tools", "extract --layers");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            assertThat(dockerfile).contains("COPY --from=build /extracted/" + layer + "/ ./");
        }
        assertThat(dockerfile.indexOf("/extracted/dependencies/")).as("the least often changed layer first")
                .isLessThan(dockerfile.indexOf("/extracted/application/"));
        assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .*CMD \\[\"bash\", \"/app/readiness.sh\"]$")
                .contains("-jar /app/application.jar");
        assertThat(Files.readString(ROOT.resolve("ops/docker/readiness.sh"))).contains("/dev/tcp/127.0.0.1/8080", "GET /actuator/health/readiness ");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAppsStartOnceTheStoresAreHealthyAndReportTheirReadiness() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(String.valueOf(((Map<String, Object>) services.get("redis").get("healthcheck")).get("test"))).contains("redis-cli", "ping");
        assertThat(String.valueOf(((Map<String, Object>) services.get("axonserver").get("healthcheck")).get("test")))
                .contains("127.0.0.1/8024", "GET /actuator/health ", " 200 ");
        assertThat(String.valueOf(((Map<String, Object>) services.get("postgres").get("healthcheck")).get("test"))).contains("pg_isready");
        Map<String, Map<String, Object>> storesOfApp1 = (Map<String, Map<String, Object>>) services.get("app-1").get("depends_on");
        for (String store : List.of("axonserver", "postgres", "redis")) {
            assertThat(storesOfApp1.get(store)).as(store).containsEntry("condition", "service_healthy");
        }
        assertThat((Map<String, Map<String, Object>>) services.get("app-2").get("depends_on")).extractingByKey("app-1")
                .isEqualTo(Map.of("condition", "service_healthy"));
        for (String app : List.of("app-1", "app-2")) {
            assertThat(String.valueOf(((Map<String, Object>) services.get(app).get("healthcheck")).get("test"))).as(app).contains("/app/readiness.sh");
        }
        assertThat((List<String>) services.get("prometheus").get("volumes")).contains("./ops/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
    }

    @Test
    void debiansDockerComposeAcceptsTheFile() throws Exception {
        Path dockerCompose = Path.of("/usr/bin/docker-compose");
        Assumptions.assumeTrue(Files.isExecutable(dockerCompose), "docker-compose is not installed here (apt-get install docker-compose)");
        ProcessBuilder withIdentityProvider = new ProcessBuilder(dockerCompose.toString(), "-f", ROOT.resolve("docker-compose.yml").toString(), "config", "--quiet")
                .redirectErrorStream(true);
        withIdentityProvider.environment().put("JWT_ISSUER_URI", "https://login.example.com/realms/acme");
        withIdentityProvider.environment().put("JWT_AUDIENCES", "seat-ledger");
        withIdentityProvider.environment().putAll(Map.of("POSTGRES_PASSWORD", "s1", "SEATLEDGER_OWNER_PASSWORD", "s2", "SEATLEDGER_APP_PASSWORD", "s3"));
        Process config = withIdentityProvider.start();
        assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(config.getInputStream().readAllBytes());
        assertThat(config.exitValue()).as(output).isZero();

        ProcessBuilder withoutIdentityProvider = new ProcessBuilder(dockerCompose.toString(), "-f", ROOT.resolve("docker-compose.yml").toString(), "config", "--quiet")
                .redirectErrorStream(true);
        withoutIdentityProvider.environment().remove("JWT_ISSUER_URI");
        Process refused = withoutIdentityProvider.start();
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).as("compose without an identity provider is refused").isNotZero();
    }
}
