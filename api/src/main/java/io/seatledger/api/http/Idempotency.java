package io.seatledger.api.http;

import io.seatledger.messages.common.ErrorCode;
import org.reactivestreams.Publisher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code Idempotency-Key} on POST, PUT, PATCH and DELETE: the first request with a key (per caller) runs and
 * its answer is kept in PostgreSQL for {@link #RETENTION}; the same key with the same request (method, path,
 * query, content type and body) answers that response again without running anything; with another
 * request it is refused (422 {@code IDEMPOTENCY_KEY_REUSED}). A repeat that arrives while the first still
 * runs waits for its answer, and a first request whose client went away runs on to keep it. Failures that say nothing about the request (5xx, 429, 401) and refusals of its
 * shape (400, 413, 415) are not kept, so a retry runs again — safely: it runs under the failed attempt's
 * request id, which goes with its commands (the write model recognises what was already recorded) and seeds
 * the ids of what the request creates.
 */
@Component
@Order(0)
public class Idempotency implements WebFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final Duration RETENTION = Duration.ofHours(24);
    static final int MAX_KEY_LENGTH = 255;
    /** A running request's claim on its key; after it, the key is taken over (its instance is presumed dead). */
    static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration WAIT_STEP = Duration.ofMillis(50);
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final Set<Integer> KEPT_FAILURES = Set.of(404, 409, 410, 403);
    private static final String REQUEST_ID_ATTRIBUTE = Idempotency.class.getName() + ".requestId";
    private static final String BODY_KEY_ATTRIBUTE = Idempotency.class.getName() + ".bodyKey";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient database;
    private final ProblemResponses problems;
    private final ApiExceptionHandler failures;
    private final Clock clock;
    private final long maxBodyBytes;

    public Idempotency(DatabaseClient database, ProblemResponses problems, ApiExceptionHandler failures, Clock clock,
                       @Value("${spring.codec.max-in-memory-size}") DataSize maxBody) {
        this.database = database;
        this.problems = problems;
        this.failures = failures;
        this.clock = clock;
        this.maxBodyBytes = maxBody.toBytes();
    }


    /**
     * The request id the commands of a keyed request carry: the same for every attempt of it (so the write
     * model recognises a retry that reaches it), a new one when an expired key is used again. Null without a key.
     */
    public static String requestIdOf(ServerWebExchange exchange) {
        return exchange.getAttribute(REQUEST_ID_ATTRIBUTE);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String key = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (key == null || !MUTATING.contains(exchange.getRequest().getMethod())) {
            return chain.filter(exchange);
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            return problems.write(exchange, Problem.of(ErrorCode.VALIDATION_FAILED, HEADER + " must be 1 to " + MAX_KEY_LENGTH + " characters",
                    java.util.List.of(new Problem.FieldError(HEADER, "1 to " + MAX_KEY_LENGTH + " characters"))));
        }
        // without a bearer token there is no caller to scope keys to: such paths (webhooks) dedupe by themselves
        return exchange.getPrincipal()
                .filter(AbstractOAuth2TokenAuthenticationToken.class::isInstance)
                .map(principal -> Optional.of(scope((AbstractOAuth2TokenAuthenticationToken<?>) principal)))
                .defaultIfEmpty(Optional.empty())
                .flatMap(scope -> scope.isEmpty() ? chain.filter(exchange) : Bodies.read(exchange.getRequest(), maxBodyBytes).flatMap(body -> {
                    exchange.getAttributes().put(BODY_KEY_ATTRIBUTE, bodyKey(scope.get(), key));
                    return handle(exchange, chain, scope.get(), keyHash(scope.get(), key), body);
                }).onErrorResume(failure -> failures.handle(exchange, failure)));
    }

    /** The token's organization and subject (the http package sits below security: it reads the two claims itself). */
    private static String scope(AbstractOAuth2TokenAuthenticationToken<?> authentication) {
        Object org = authentication.getTokenAttributes().get("org");
        return (org == null ? "" : org.toString()) + "/" + authentication.getName();
    }

    private Mono<Void> handle(ServerWebExchange exchange, WebFilterChain chain, String scope, String key, byte[] body) {
        String requestHash = requestHash(exchange.getRequest(), body);
        return claim(scope, key, requestHash).flatMap(claimed -> claimed.isPresent()
                ? run(exchange, chain, scope, key, body, claimed.get())
                : answerRepeat(exchange, chain, scope, key, body, requestHash, Instant.now(clock).plus(LEASE)));
    }

    private Mono<Void> answerRepeat(ServerWebExchange exchange, WebFilterChain chain, String scope, String key, byte[] body, String requestHash,
                                    Instant giveUpAt) {
        return stored(scope, key).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(found -> {
            if (found.isEmpty()) {
                return handle(exchange, chain, scope, key, body);
            }
            Stored first = found.get();
            if (!first.requestHash().equals(requestHash)) {
                return problems.write(exchange, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "this Idempotency-Key was used with a different request in the last 24 hours");
            }
            if (first.status() != null) {
                return replay(exchange, first);
            }
            if (first.createdAt().isBefore(Instant.now(clock).minus(LEASE))) {
                return takeOver(scope, key, first.createdAt()).flatMap(taken -> taken
                        ? run(exchange, chain, scope, key, body, first.requestId())
                        : answerRepeat(exchange, chain, scope, key, body, requestHash, giveUpAt));
            }
            if (Instant.now(clock).isAfter(giveUpAt)) {
                exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
                return problems.write(exchange, ErrorCode.UNAVAILABLE, "the first request with this Idempotency-Key is still running");
            }
            return Mono.delay(WAIT_STEP).then(answerRepeat(exchange, chain, scope, key, body, requestHash, giveUpAt));
        });
    }

    /**
     * Runs the request, keeping its answer before the client sees it: a client that retries the moment it has
     * an answer finds it stored.
     */
    private Mono<Void> run(ServerWebExchange exchange, WebFilterChain chain, String scope, String key, byte[] body, String requestId) {
        exchange.getAttributes().put(REQUEST_ID_ATTRIBUTE, requestId);
        AtomicBoolean kept = new AtomicBoolean();
        ServerHttpResponse response = exchange.getResponse();
        ServerHttpResponseDecorator recording = new ServerHttpResponseDecorator(response) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
                return Bodies.join(content).flatMap(bytes -> keep(kept, scope, key, exchange, getDelegate(), bytes)
                        .then(super.writeWith(Mono.just(response.bufferFactory().wrap(bytes)))));
            }

            @Override
            public Mono<Void> setComplete() {
                return keep(kept, scope, key, exchange, getDelegate(), new byte[0]).then(super.setComplete());
            }
        };
        ServerWebExchange replayable = exchange.mutate().request(withBody(exchange.getRequest(), body)).response(recording).build();
        Mono<Void> processing = chain.filter(replayable)
                .onErrorResume(failure -> failures.handle(replayable, failure))
                .then(Mono.defer(() -> keep(kept, scope, key, exchange, response, new byte[0])))
                .onErrorResume(failure -> release(scope, key).then(Mono.error(failure)));
        // A client that goes away does not stop a keyed request half-way: its commands may be stored already, and only
        // the answer this attempt keeps can answer its retry (a retry that reaches the write model again is told the
        // request was applied, and nothing more). So the request runs on to its end, in the caller's context
        // (security, request id, observation), and the client's cancellation is not passed on to it.
        return Mono.deferContextual(context -> Mono.fromFuture(processing.contextWrite(context).toFuture(), true));
    }

    private Mono<Void> keep(AtomicBoolean kept, String scope, String key, ServerWebExchange exchange, ServerHttpResponse response, byte[] body) {
        return kept.compareAndSet(false, true) ? finish(scope, key, exchange, response, body) : Mono.empty();
    }

    private Mono<Void> finish(String scope, String key, ServerWebExchange exchange, ServerHttpResponse response, byte[] body) {
        int status = response.getStatusCode() == null ? 200 : response.getStatusCode().value();
        if (status >= 200 && status < 300 || KEPT_FAILURES.contains(status)) {
            MediaType type = response.getHeaders().getContentType();
            String position = response.getHeaders().getFirst(Positions.HEADER);
            DatabaseClient.GenericExecuteSpec update = database.sql("""
                            update api.idempotency_keys set status = :status, content_type = :type, location = :location, body = :body,
                                position = :position, completed_at = :now where scope = :scope and key = :key""")
                    .bind("status", status)
                    .bind("type", type == null ? "" : type.toString())
                    .bind("location", response.getHeaders().getFirst(HttpHeaders.LOCATION) == null ? "" : response.getHeaders().getFirst(HttpHeaders.LOCATION))
                    .bind("body", seal(exchange, body)).bind("now", now()).bind("scope", scope).bind("key", key);
            return (position == null ? update.bindNull("position", Long.class) : update.bind("position", Long.parseLong(position)))
                    .then();
        }
        return release(scope, key);
    }

    /** Frees the key for another attempt; a retry of the same request keeps this attempt's request id. */
    private Mono<Void> release(String scope, String key) {
        return database.sql("update api.idempotency_keys set released = true where scope = :scope and key = :key and status is null")
                .bind("scope", scope).bind("key", key).then();
    }

    private Mono<Void> replay(ServerWebExchange exchange, Stored first) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(first.status()));
        if (!first.contentType().isEmpty()) {
            response.getHeaders().set(HttpHeaders.CONTENT_TYPE, first.contentType());
        }
        if (!first.location().isEmpty()) {
            response.getHeaders().set(HttpHeaders.LOCATION, first.location());
        }
        if (first.position() != null) {
            response.getHeaders().set(Positions.HEADER, first.position().toString());
        }
        response.getHeaders().set(REPLAYED_HEADER, "true");
        return response.writeWith(Mono.just(response.bufferFactory().wrap(open(exchange, first.body()))));
    }

    /** The new claim's request id, or empty when the key is held (by a running or a kept request). */
    private Mono<Optional<String>> claim(String scope, String key, String requestHash) {
        return database.sql("""
                        insert into api.idempotency_keys (scope, key, request_hash, request_id, created_at)
                        values (:scope, :key, :hash, :requestId, :now)
                        on conflict (scope, key) do update set request_hash = excluded.request_hash,
                            request_id = case when api.idempotency_keys.released and api.idempotency_keys.request_hash = excluded.request_hash
                                              and api.idempotency_keys.created_at >= :expired
                                         then api.idempotency_keys.request_id else excluded.request_id end,
                            created_at = excluded.created_at, status = null, content_type = null, location = null, body = null, position = null,
                            completed_at = null, released = false
                        where api.idempotency_keys.created_at < :expired or api.idempotency_keys.released
                        returning request_id""")
                .bind("scope", scope).bind("key", key).bind("hash", requestHash).bind("requestId", "idem-" + UUID.randomUUID())
                .bind("now", now()).bind("expired", OffsetDateTime.ofInstant(Instant.now(clock).minus(RETENTION), ZoneOffset.UTC))
                .map(row -> Optional.of(row.get("request_id", String.class))).one().defaultIfEmpty(Optional.empty());
    }

    private Mono<Boolean> takeOver(String scope, String key, Instant claimedAt) {
        return database.sql("""
                        update api.idempotency_keys set created_at = :now where scope = :scope and key = :key and status is null
                            and created_at = :claimedAt returning key""")
                .bind("now", now()).bind("scope", scope).bind("key", key).bind("claimedAt", OffsetDateTime.ofInstant(claimedAt, ZoneOffset.UTC))
                .map(row -> true).one().defaultIfEmpty(false);
    }

    private Mono<Stored> stored(String scope, String key) {
        return database.sql("""
                        select request_hash, request_id, status, content_type, location, body, position, created_at from api.idempotency_keys
                        where scope = :scope and key = :key""")
                .bind("scope", scope).bind("key", key)
                .map(row -> new Stored(row.get("request_hash", String.class), row.get("request_id", String.class), row.get("status", Integer.class),
                        row.get("content_type", String.class), row.get("location", String.class), row.get("body", byte[].class),
                        row.get("position", Long.class), row.get("created_at", OffsetDateTime.class).toInstant()))
                .one();
    }

    /** Keys are kept {@link #RETENTION}; older ones are dropped every {@code seatledger.http.idempotency-cleanup-interval} (ignored meanwhile). */
    public void forgetExpiredKeys() {
        database.sql("delete from api.idempotency_keys where created_at < :expired")
                .bind("expired", OffsetDateTime.ofInstant(Instant.now(clock).minus(RETENTION), ZoneOffset.UTC))
                .then().block(Duration.ofMinutes(1));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC);
    }

    private static ServerHttpRequest withBody(ServerHttpRequest request, byte[] body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return body.length == 0 ? Flux.empty() : Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
    }

    private static String requestHash(ServerHttpRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.getMethod().name() + " " + request.getURI().getRawPath() + "?" + nullToEmpty(request.getURI().getRawQuery())
                    + "\n" + nullToEmpty(request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE)) + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    /**
     * Kept answers may hold secrets (an invitation token is shown once, in the answer to its assignment), so
     * they are stored sealed (AES-GCM) with a key derived from the idempotency key, which is itself stored only
     * as a hash: whoever reads the table cannot read the answers; whoever repeats the request can.
     */
    private static byte[] seal(ServerWebExchange exchange, byte[] plain) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, (SecretKeySpec) exchange.getAttribute(BODY_KEY_ATTRIBUTE), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plain);
            byte[] stored = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, stored, 0, iv.length);
            System.arraycopy(sealed, 0, stored, iv.length, sealed.length);
            return stored;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM ships AES-GCM", e);
        }
    }

    private static byte[] open(ServerWebExchange exchange, byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, (SecretKeySpec) exchange.getAttribute(BODY_KEY_ATTRIBUTE), new GCMParameterSpec(128, stored, 0, 12));
            return cipher.doFinal(stored, 12, stored.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a kept answer could not be opened with its key", e);
        }
    }

    private static SecretKeySpec bodyKey(String scope, String key) {
        return new SecretKeySpec(sha256("seat-ledger idempotent answer\n" + scope + "\n" + key), "AES");
    }

    private static String keyHash(String scope, String key) {
        return HexFormat.of().formatHex(sha256("seat-ledger idempotency key\n" + scope + "\n" + key));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private record Stored(String requestHash, String requestId, Integer status, String contentType, String location, byte[] body,
                          Long position, Instant createdAt) {
    }
}
