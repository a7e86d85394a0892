package io.seatledger.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few API calls the tool makes, with the JDK's HTTP client: a JSON GET, and the NDJSON export streamed line by line
 * into a writer, resumed after the last whole entry ({@code ?after=<position>}) when the connection breaks or the
 * service asks to come back later (429, 503: after {@code Retry-After}).
 */
final class ApiCalls {

    static final int ATTEMPTS = 5;

    /** A refused request: its status and the problem the service answered. */
    static final class Refused extends IOException {
        Refused(int status, String body) {
            super("the service answered " + status + ": " + body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String baseUrl;
    private final String token;

    ApiCalls(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The body of a JSON GET of {@code path}. */
    String getJson(String path) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request(path, "application/json"), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException broken) {
                if (attempt == ATTEMPTS) {
                    throw broken;
                }
                pause(attempt, null);
                continue;
            }
            if (response.statusCode() == 200) {
                return response.body();
            }
            if (!retryable(response.statusCode()) || attempt == ATTEMPTS) {
                throw new Refused(response.statusCode(), response.body());
            }
            pause(attempt, response.headers().firstValue("Retry-After").orElse(null));
        }
    }

    /** Streams the whole NDJSON export of {@code orgId} into {@code out}; answers the number of entries written. */
    long export(String orgId, Writer out) throws IOException, InterruptedException {
        long written = 0;
        Long after = null;
        for (int attempt = 1; ; attempt++) {
            String path = "/api/v1/orgs/" + segment(orgId) + "/audit" + (after == null ? "" : "?after=" + after);
            HttpResponse<InputStream> response;
            try {
                response = http.send(request(path, "application/x-ndjson"), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException broken) {
                if (attempt == ATTEMPTS) {
                    throw broken;
                }
                pause(attempt, null);
                continue;
            }
            if (response.statusCode() != 200) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                }
                if (!retryable(response.statusCode()) || attempt == ATTEMPTS) {
                    throw new Refused(response.statusCode(), body);
                }
                pause(attempt, response.headers().firstValue("Retry-After").orElse(null));
                continue;
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    long position;
                    try {
                        position = PositionOf.line(line);
                    } catch (RuntimeException cutShort) {
                        throw new IOException("the export stream ended inside an entry", cutShort);
                    }
                    out.write(line);
                    out.write('\n');
                    after = position;
                    written++;
                }
                return written;
            } catch (IOException broken) {
                // a line cut short is not written: the next attempt resumes after the last whole entry
                if (attempt == ATTEMPTS) {
                    throw broken;
                }
                pause(attempt, null);
            }
        }
    }

    private HttpRequest request(String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofMinutes(10)).header("Accept", accept).GET();
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    private static void pause(int attempt, String retryAfter) throws InterruptedException {
        long seconds = 1L << Math.min(attempt - 1, 4);
        if (retryAfter != null) {
            try {
                seconds = Math.min(60, Math.max(0, Long.parseLong(retryAfter.trim())));
            } catch (NumberFormatException httpDate) {
                // a date: keep the backoff
            }
        }
        Thread.sleep(seconds * 1000);
    }

    /** The position of an NDJSON export line, to resume after it. */
    static final class PositionOf {
        private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

        private PositionOf() {
        }

        static long line(String line) {
            tools.jackson.databind.JsonNode position = JSON.readTree(line).get("position");
            if (position == null || !position.isIntegralNumber()) {
                throw new IllegalStateException("the export holds a line without a position: " + line);
            }
            return position.asLong();
        }
    }
}
