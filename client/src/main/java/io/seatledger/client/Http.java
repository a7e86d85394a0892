package io.seatledger.client;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends a {@link Request} and turns the answer into a value or a {@link SeatLedgerProblem}: a fresh bearer token per
 * attempt, the call's one {@code Idempotency-Key} on every attempt, retries of 429, 503 and connection failures
 * under the {@link RetryPolicy} (waiting at least the service's {@code Retry-After}), the highest
 * {@code Seat-Ledger-Position} remembered per organization and sent on its reads.
 */
final class Http {

    static final String POSITION = "Seat-Ledger-Position";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** What a call answered: the value and the position of the last event it stored (0 when the answer names none). */
    record Answer<T>(T body, int status, long position) {
    }

    private final HttpClient http;
    private final URI base;
    private final Supplier<String> tokens;
    private final Duration requestTimeout;
    private final RetryPolicy retries;
    private final Positions positions;
    /** Positions reads must include whatever read-your-writes says: the head an entitlement cache's stream began at. */
    private final Positions floors = new Positions();
    private final boolean readYourWrites;
    private final Sleeper sleeper;

    /** Waits between attempts; tests replace it to see the waits without waiting. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    Http(HttpClient http, URI base, Supplier<String> tokens, Duration requestTimeout, RetryPolicy retries, boolean readYourWrites, Sleeper sleeper) {
        this.http = http;
        this.base = base;
        this.tokens = tokens;
        this.requestTimeout = requestTimeout;
        this.retries = retries;
        this.positions = new Positions();
        this.readYourWrites = readYourWrites;
        this.sleeper = sleeper;
    }

    <T> T send(Request request, Class<T> type) {
        return exchange(request, body -> Json.MAPPER.readValue(body, type)).body();
    }

    <T> T send(Request request, TypeReference<T> type) {
        return exchange(request, body -> Json.MAPPER.readValue(body, type)).body();
    }

    <T> Answer<T> answer(Request request, Class<T> type) {
        return exchange(request, body -> Json.MAPPER.readValue(body, type));
    }

    HttpClient client() {
        return http;
    }

    URI base() {
        return base;
    }

    String token() {
        return tokens == null ? null : tokens.get();
    }

    Positions positions() {
        return positions;
    }

    /**
     * The position a read of this organization waits for (of any organization's writes for a read that names none),
     * 0 when none or read-your-writes is off.
     */
    long minPosition(String orgId) {
        long floor = orgId != null ? floors.of(orgId) : 0;
        if (!readYourWrites) {
            return floor;
        }
        return Math.max(floor, orgId != null ? positions.of(orgId) : positions.overall());
    }

    /** From now on, reads of {@code orgId} include every event up to {@code position}, read-your-writes or not. */
    void readAtLeast(String orgId, long position) {
        floors.record(orgId, position);
    }

    private interface Decoder<T> {
        T decode(byte[] body) throws JacksonException;
    }

    private <T> Answer<T> exchange(Request request, Decoder<T> decoder) {
        int attempt = 0;
        while (true) {
            attempt++;
            HttpResponse<byte[]> response;
            try {
                response = http.send(build(request), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException unreachable) {
                if (attempt >= retries.maxAttempts()) {
                    throw new SeatLedgerUnreachable(request.method + " " + request.path + " failed: " + unreachable, attempt, unreachable);
                }
                pause(retries.delayBefore(attempt, null));
                continue;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new SeatLedgerUnreachable(request.method + " " + request.path + " was interrupted", attempt, interrupted);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                long position = position(response);
                if (position > 0) {
                    positions.record(request.orgId, position);
                }
                T body = response.body().length == 0 ? null : decoder.decode(response.body());
                return new Answer<>(body, status, position);
            }
            SeatLedgerProblem problem = problem(status, response.headers(), response.body());
            boolean retryable = status == 429 || status == 503;
            Duration retryAfter = problem.retryAfter();
            if (!retryable || attempt >= retries.maxAttempts() || retryAfter != null && retryAfter.compareTo(retries.maxRetryAfter()) > 0) {
                throw problem;
            }
            pause(retries.delayBefore(attempt, retryAfter));
        }
    }

    private HttpRequest build(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve("/api/v1" + request.pathAndQuery()))
                .timeout(requestTimeout)
                .header("Accept", request.accept)
                .header("User-Agent", "seat-ledger-java-client");
        String token = token();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (request.idempotencyKey != null) {
            builder.header(IDEMPOTENCY_KEY, request.idempotencyKey);
        }
        long minPosition = request.isCommand() ? 0 : minPosition(request.orgId);
        if (minPosition > 0) {
            builder.header(POSITION, String.valueOf(minPosition));
        }
        if (request.body != null) {
            builder.header("Content-Type", request.contentType).method(request.method, HttpRequest.BodyPublishers.ofByteArray(request.body));
        } else {
            builder.method(request.method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private void pause(Duration delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new SeatLedgerUnreachable("interrupted while waiting to retry", 0, interrupted);
        }
    }

    private static long position(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue(POSITION);
        if (header.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(header.get().trim());
        } catch (NumberFormatException ignored) {
            return 0;
        }
    }

    /** The problem an answer carries; an answer that is not problem+json gets the code its status implies. */
    static SeatLedgerProblem problem(int status, HttpHeaders headers, byte[] answer) {
        Duration retryAfter = retryAfter(headers.firstValue("Retry-After").orElse(null));
        String rawCode = null;
        String detail = null;
        String requestId = headers.firstValue("X-Request-Id").orElse(null);
        List<SeatLedgerProblem.FieldError> errors = new ArrayList<>();
        try {
            JsonNode body = Json.MAPPER.readTree(answer);
            if (body != null && body.isObject()) {
                rawCode = text(body, "code");
                detail = text(body, "detail");
                requestId = text(body, "requestId") != null ? text(body, "requestId") : requestId;
                for (JsonNode error : body.path("errors")) {
                    errors.add(new SeatLedgerProblem.FieldError(text(error, "field"), text(error, "message")));
                }
            }
        } catch (JacksonException notJson) {
            detail = "the answer was not a problem document";
        }
        ProblemCode code = rawCode != null ? ProblemCode.of(rawCode) : byStatus(status);
        return new SeatLedgerProblem(code, rawCode != null ? rawCode : code.name(), status, detail, requestId, errors, retryAfter);
    }

    private static ProblemCode byStatus(int status) {
        return switch (status) {
            case 400 -> ProblemCode.VALIDATION_FAILED;
            case 401 -> ProblemCode.UNAUTHENTICATED;
            case 403 -> ProblemCode.FORBIDDEN;
            case 404 -> ProblemCode.NOT_FOUND;
            case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemCode.RATE_LIMITED;
            case 502, 503, 504 -> ProblemCode.UNAVAILABLE;
            default -> ProblemCode.UNKNOWN;
        };
    }

    /** {@code Retry-After} as seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(java.time.Instant.now(), ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
