package io.seatledger.api.http;

import io.seatledger.api.support.StatusRecorder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every status docs/openapi.json documents is one some test produces: the statuses the api suite's HTTP clients
 * received ({@link StatusRecorder}) are matched to the document's operations. A status a route answers itself must
 * be seen on that route; a shared problem response ({@code $ref} to components/responses: a filter or a store answers
 * it, the same way on every route) must be seen on some route.
 * <p>
 * Not a test of the suite but a check run after it: its name keeps it out of the suite, and the api module's
 * {@code status-coverage} profile runs it in the verify phase once the whole suite has run (so the order of the
 * suite's classes does not matter), and not when {@code -Dtest} picks some tests.
 */
class OpenApiStatusCoverageCheck {

    record Route(String method, String template, Pattern pattern, int literals) {
    }

    @Test
    void everyDocumentedStatusIsProducedBySomeTest() throws IOException {
        JsonNode document = JsonMapper.builder().build().readTree(Files.readString(OpenApiDocumentTest.CHECKED_IN));
        List<Route> routes = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                routes.add(route(operation.getKey().toUpperCase(), path.getKey()))));
        routes.sort(Comparator.comparingInt(Route::literals).reversed());

        Set<String> observed = new HashSet<>();
        Set<Integer> observedAnywhere = new HashSet<>();
        Path recorded = Path.of(StatusRecorder.DIRECTORY);
        assertThat(Files.isDirectory(recorded)).as("statuses recorded by the api suite under %s", recorded.toAbsolutePath()).isTrue();
        try (Stream<Path> files = Files.list(recorded)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.split("\t");
                    int status = Integer.parseInt(fields[2]);
                    observedAnywhere.add(status);
                    routes.stream().filter(route -> route.method().equals(fields[0]) && route.pattern().matcher(fields[1]).matches()).findFirst()
                            .ifPresent(route -> observed.add(route.method() + " " + route.template() + " " + status));
                }
            }
        }

        Set<String> missing = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String method = operation.getKey().toUpperCase();
            for (Map.Entry<String, JsonNode> response : operation.getValue().path("responses").properties()) {
                int status = Integer.parseInt(response.getKey());
                boolean shared = response.getValue().has("$ref");
                boolean seen = shared ? observedAnywhere.contains(status) : observed.contains(method + " " + path.getKey() + " " + status);
                if (!seen) {
                    missing.add(method + " " + path.getKey() + " " + status + (shared ? " (shared: on no route)" : ""));
                }
            }
        }));
        assertThat(missing).as("documented statuses no test produced: add a test that does, or drop the status if it cannot happen").isEmpty();
    }

    private static Route route(String method, String template) {
        String regex = Pattern.quote(template).replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q");
        int literals = (int) Stream.of(template.split("/")).filter(segment -> !segment.startsWith("{")).count();
        return new Route(method, template, Pattern.compile(regex), literals);
    }
}
