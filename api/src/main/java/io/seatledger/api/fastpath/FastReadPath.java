package io.seatledger.api.fastpath;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.seatledger.api.consistency.ReadYourWrites;
import io.seatledger.api.http.Ids;
import io.seatledger.api.http.Positions;
import io.seatledger.api.http.ProblemResponses;
import io.seatledger.api.http.RequestIds;
import io.seatledger.api.http.TraceIds;
import io.seatledger.api.ratelimit.RateLimits;
import io.seatledger.api.security.CachingJwtDecoder;
import io.seatledger.api.security.Caller;
import io.seatledger.query.entitlement.EntitlementReader;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Entitlement checks and liveness probes, the reads that callers make on every request they serve, answered in
 * front of the WebFlux stack (filters, security chain, handler mapping, observation), which costs far more than the
 * read itself. Only the plain case is answered here: a GET without query, with printable headers, from a caller
 * whose bearer token the service's own decoder has verified before ({@link CachingJwtDecoder#rememberedCaller}),
 * for an organization the caller may read ({@link Caller#mayRead}), within its rate limit ({@link RateLimits#spendOne}),
 * at a position the counters were already seen to have applied ({@link ReadYourWrites#entitlementsReadableAt}), read by
 * the same {@link EntitlementReader}. Every other request (no or unknown token, another tenant, malformed ids, CORS, a
 * position to wait for, a sampled trace, a failed read) passes unchanged to the full stack, which
 * answers it as any other request: every refusal is the same code's. The answer carries what the full stack's would
 * (request id, traceparent, the security headers) and is counted in {@code http.server.requests} like it.
 */
final class FastReadPath implements HttpHandler {

    static final String ENTITLEMENT_ROUTE = "/api/v1/orgs/{orgId}/entitlements/{userId}";
    static final String LIVENESS_PATH = "/actuator/health/liveness";
    private static final String ORGANIZATIONS = "/api/v1/orgs/";
    private static final String ENTITLEMENTS = "/entitlements/";
    private static final String BEARER = "Bearer ";
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final MediaType ACTUATOR_JSON = MediaType.parseMediaType("application/vnd.spring-boot.actuator.v3+json");
    private static final int LONGEST_USER_ID = 255;

    private final HttpHandler next;
    private final CachingJwtDecoder tokens;
    private final RateLimits rateLimits;
    private final ReadYourWrites readYourWrites;
    private final EntitlementReader entitlements;
    private final ProblemResponses problems;
    private final JsonMapper json;
    /** Null when liveness probes are not answered here (the actuator on another port or path, or no probes). */
    private final HealthEndpoint health;
    private final Meters meters;

    FastReadPath(HttpHandler next, CachingJwtDecoder tokens, RateLimits rateLimits, ReadYourWrites readYourWrites, EntitlementReader entitlements,
                 ProblemResponses problems, JsonMapper json, HealthEndpoint health, MeterRegistry registry) {
        this.next = next;
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.readYourWrites = readYourWrites;
        this.entitlements = entitlements;
        this.problems = problems;
        this.json = json;
        this.health = health;
        this.meters = new Meters(registry);
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        if (request.getMethod() != HttpMethod.GET || request.getURI().getRawQuery() != null || request.getSslInfo() != null
                || "https".equalsIgnoreCase(request.getURI().getScheme())) {
            return next.handle(request, response);
        }
        String path = request.getURI().getRawPath();
        if (path.startsWith(ORGANIZATIONS)) {
            return entitlement(request, response, path);
        }
        if (health != null && path.equals(LIVENESS_PATH)) {
            return liveness(request, response);
        }
        return next.handle(request, response);
    }

    private Mono<Void> entitlement(ServerHttpRequest request, ServerHttpResponse response, String path) {
        long started = System.nanoTime();
        int slash = path.indexOf('/', ORGANIZATIONS.length());
        if (slash < 0 || !path.startsWith(ENTITLEMENTS, slash)) {
            return next.handle(request, response);
        }
        String orgId = path.substring(ORGANIZATIONS.length(), slash);
        String userId = path.substring(slash + ENTITLEMENTS.length());
        HttpHeaders headers = request.getHeaders();
        if (!Ids.isOrganizationId(orgId) || isDotSegment(orgId) || !isPlainUserId(userId) || !plain(headers)) {
            return next.handle(request, response);
        }
        String traceId = traceIdToContinue(headers.getFirst(TraceIds.HEADER));
        Caller caller = traceId == null ? null : caller(headers);
        if (caller == null || !caller.mayRead(orgId) || !readableNow(headers, orgId)) {
            return next.handle(request, response);
        }
        String requestId = RequestIds.newId();
        String traceparent = traceparent(traceId);
        return rateLimits.spendOne(caller.accountable(), true).flatMap(wait -> {
                    if (!wait.isZero()) {
                        securityHeaders(response.getHeaders(), requestId, traceparent);
                        meters.answering();
                        return problems.rateLimited(response, requestId, traceId, wait).doOnSuccess(done -> meters.rateLimited(started));
                    }
                    return entitlements.entitlement(orgId, userId).map(json::writeValueAsBytes).flatMap(body -> {
                        securityHeaders(response.getHeaders(), requestId, traceparent);
                        meters.answering();
                        return answer(response, MediaType.APPLICATION_JSON, body).doOnSuccess(done -> meters.entitled(started));
                    });
                })
                // a read that failed is the full stack's to answer (503 when the stores are away), as any failure
                .onErrorResume(failure -> response.isCommitted() ? Mono.error(failure) : passOnAfterFailure(request, response));
    }

    /** No position to read at, or one the counters were already seen to have applied: a read that would wait is the full stack's. */
    private boolean readableNow(HttpHeaders headers, String orgId) {
        List<String> positions = headers.get(Positions.HEADER);
        return positions == null || positions.size() == 1 && readYourWrites.entitlementsReadableAt(orgId, positions.get(0));
    }

    /** Hands a request whose fast answer failed before it was sent to the full stack, with nothing of that answer left on it. */
    private Mono<Void> passOnAfterFailure(ServerHttpRequest request, ServerHttpResponse response) {
        response.getHeaders().clear();
        response.setStatusCode(null);
        return next.handle(request, response);
    }

    private Mono<Void> liveness(ServerHttpRequest request, ServerHttpResponse response) {
        long started = System.nanoTime();
        HttpHeaders headers = request.getHeaders();
        String accept = headers.getFirst(HttpHeaders.ACCEPT);
        String traceId = plain(headers) && (accept == null || accept.equals("*/*")) ? traceIdToContinue(headers.getFirst(TraceIds.HEADER)) : null;
        if (traceId == null || !Status.UP.equals(health.healthForPath("liveness").getStatus())) {
            return next.handle(request, response);
        }
        securityHeaders(response.getHeaders(), RequestIds.newId(), traceparent(traceId));
        meters.answering();
        return answer(response, ACTUATOR_JSON, UP).doOnSuccess(done -> meters.live(started));
    }

    private static Mono<Void> answer(ServerHttpResponse response, MediaType type, byte[] body) {
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(type);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** The caller of the request's one bearer token, if the service verified that token before; else null. */
    private Caller caller(HttpHeaders headers) {
        List<String> authorization = headers.get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.size() != 1) {
            return null;
        }
        String value = authorization.get(0);
        return value.length() > BEARER.length() && value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? tokens.rememberedCaller(value.substring(BEARER.length())) : null;
    }

    /**
     * Headers the full stack would treat the same way whatever their content: all printable ASCII (the firewall
     * refuses some others), no CORS request, nothing forwarded by a proxy (the full stack may take the scheme from it,
     * and answer HTTPS with HSTS).
     */
    private static boolean plain(HttpHeaders headers) {
        if (headers.containsHeader(HttpHeaders.ORIGIN)) {
            return false;
        }
        for (Map.Entry<String, List<String>> header : headers.headerSet()) {
            if (!isPrintable(header.getKey()) || isForwarded(header.getKey())) {
                return false;
            }
            for (String value : header.getValue()) {
                if (!isPrintable(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isForwarded(String name) {
        return name.regionMatches(true, 0, "Forwarded", 0, 9) || name.regionMatches(true, 0, "X-Forwarded-", 0, 12);
    }

    private static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** The firewall refuses paths with such segments (400): they are the full stack's. */
    private static boolean isDotSegment(String segment) {
        return segment.equals(".") || segment.equals("..");
    }

    /** Letters, digits and {@code . _ ~ @ + -}, 1 to 255 of them, not a dot segment: others are the full stack's to decode and judge. */
    private static boolean isPlainUserId(String userId) {
        if (userId.isEmpty() || userId.length() > LONGEST_USER_ID || isDotSegment(userId)) {
            return false;
        }
        for (int i = 0; i < userId.length(); i++) {
            char c = userId.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '~' || c == '@' || c == '+' || c == '-';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    /**
     * The trace id this answer continues: the caller's, from a well-formed unsampled W3C {@code traceparent}, or a new
     * one (as the full stack does with none or a malformed one). Null for a sampled trace, whose span the full stack
     * records and exports, and for another version of the header. The fast path samples nothing: a trace that starts here
     * is never recorded (the full stack samples a share of those).
     */
    static String traceIdToContinue(String traceparent) {
        if (traceparent != null && isOtherVersion(traceparent)) {
            // the full stack's propagator knows what to make of a later version of the header
            return null;
        }
        if (traceparent == null || !isWellFormedVersion0(traceparent)) {
            return newHex(16);
        }
        int flags = Character.digit(traceparent.charAt(54), 16);
        return (flags & 1) == 1 ? null : traceparent.substring(3, 35);
    }

    private static boolean isOtherVersion(String traceparent) {
        return traceparent.length() > 3 && traceparent.charAt(2) == '-' && !traceparent.startsWith("00")
                && Character.digit(traceparent.charAt(0), 16) >= 0 && Character.digit(traceparent.charAt(1), 16) >= 0;
    }

    private static boolean isWellFormedVersion0(String traceparent) {
        if (traceparent.length() != 55 || !traceparent.startsWith("00-") || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return false;
        }
        boolean traceIdZero = true;
        boolean spanIdZero = true;
        for (int i = 3; i < 55; i++) {
            if (i == 35 || i == 52) {
                continue;
            }
            char c = traceparent.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
            if (c != '0' && i < 35) {
                traceIdZero = false;
            } else if (c != '0' && i < 52) {
                spanIdZero = false;
            }
        }
        return !traceIdZero && !spanIdZero;
    }

    private static String traceparent(String traceId) {
        return "00-" + traceId + "-" + newHex(8) + "-00";
    }

    private static String newHex(int bytes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder hex = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            int b = random.nextInt(1, 256);
            hex.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    /** What the full stack's answers carry: the request id, the trace, and Spring Security's default headers (plain HTTP). */
    private static void securityHeaders(HttpHeaders headers, String requestId, String traceparent) {
        headers.set(RequestIds.HEADER, requestId);
        headers.set(TraceIds.HEADER, traceparent);
        headers.set(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
        headers.set(HttpHeaders.PRAGMA, "no-cache");
        headers.set(HttpHeaders.EXPIRES, "0");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-XSS-Protection", "0");
        headers.set("Referrer-Policy", "no-referrer");
    }

    /** The fast answers, in the same {@code http.server.requests} timers as the full stack's, and counted on their own. */
    private static final class Meters {

        private final Timer entitled;
        private final Timer rateLimited;
        private final Timer live;
        private final Counter answered;

        Meters(MeterRegistry registry) {
            this.entitled = request(registry, ENTITLEMENT_ROUTE, "200", "SUCCESS");
            this.rateLimited = request(registry, ENTITLEMENT_ROUTE, "429", "CLIENT_ERROR");
            this.live = request(registry, "/actuator/health/{*path}", "200", "SUCCESS");
            this.answered = Counter.builder("seatledger.http.fast.answers")
                    .description("requests answered in front of the WebFlux stack (entitlement checks, liveness probes)").register(registry);
        }

        private static Timer request(MeterRegistry registry, String uri, String status, String outcome) {
            return Timer.builder("http.server.requests").tags("method", "GET", "uri", uri, "status", status, "outcome", outcome,
                    "exception", "none", "error", "none").register(registry);
        }

        void entitled(long started) {
            record(entitled, started);
        }

        void rateLimited(long started) {
            record(rateLimited, started);
        }

        void live(long started) {
            record(live, started);
        }

        /** Counted once the fast path answers, before the answer is sent (so a client that has it finds it counted). */
        void answering() {
            answered.increment();
        }

        private void record(Timer timer, long started) {
            timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }
}
