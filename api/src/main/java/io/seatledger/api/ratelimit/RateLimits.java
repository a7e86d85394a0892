package io.seatledger.api.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.api.http.ProblemResponses;
import io.seatledger.messages.readmodel.CounterKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import io.seatledger.messages.readmodel.LuaScripts;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Per-tenant rate limits: a token bucket per organization in Redis (shared by every instance), one for the
 * API and a larger one for entitlement checks. Over the limit: 429 {@code RATE_LIMITED} with
 * {@code Retry-After}. If Redis cannot answer, requests pass (counted): limits protect the service, they
 * must not take it down with the cache.
 *
 * <p>An instance takes tokens in leases ({@link RateLimitProperties.Limit#leaseSize()}, a 50th of the rate) and
 * spends them locally ({@link TokenLeases}): at high rates most requests then pass without a Redis round trip,
 * and what one instance holds unspent is at most a 50th of a second's tokens, lapsing after a second.
 */
@Component
@Order(-10)
public class RateLimits implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);
    private static final Pattern ENTITLEMENT_PATHS = Pattern.compile("^/api/v1/(orgs/[^/]+/entitlements/[^/]+|me/entitlements)$");
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> TOKEN_BUCKET = RedisScript.of(LuaScripts.text("redis/token-bucket.lua"), List.class);

    private final ReactiveStringRedisTemplate redis;
    private final RateLimitProperties limits;
    private final ProblemResponses problems;
    private final MeterRegistry meters;
    private final Counter unchecked;
    private final TokenLeases leases = new TokenLeases(System::nanoTime);

    public RateLimits(ReactiveStringRedisTemplate redis, RateLimitProperties limits, ProblemResponses problems, MeterRegistry meters) {
        this.redis = redis;
        this.limits = limits;
        this.problems = problems;
        this.meters = meters;
        this.unchecked = Counter.builder("seatledger.http.rate.limit.unchecked").description("requests let through because Redis could not check their limit")
                .baseUnit("requests").register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!limits.enabled() || !exchange.getRequest().getPath().value().startsWith("/api/v1/")) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(principal -> Optional.of(tenantOf((JwtAuthenticationToken) principal)))
                .defaultIfEmpty(Optional.empty())
                .flatMap(tenant -> tenant.isEmpty() ? chain.filter(exchange) : limit(exchange, chain, tenant.get()));
    }

    private Mono<Void> limit(ServerWebExchange exchange, WebFilterChain chain, String tenant) {
        boolean entitlement = ENTITLEMENT_PATHS.matcher(exchange.getRequest().getPath().value()).matches();
        String bucket = entitlement ? "entitlements" : "api";
        String key = CounterKeys.rateLimit(tenant, bucket);
        if (leases.trySpend(key)) {
            return chain.filter(exchange);
        }
        RateLimitProperties.Limit limit = entitlement ? limits.entitlementsFor(tenant) : limits.apiFor(tenant);
        return take(key, limit).flatMap(waitMillis -> {
            if (waitMillis == 0) {
                return chain.filter(exchange);
            }
            meters.counter("seatledger.http.rate.limited", "bucket", bucket).increment();
            return problems.rateLimited(exchange, Duration.ofMillis(waitMillis));
        });
    }

    /** 0 when a lease of tokens was taken (one spent on this request, the rest kept), else how long until one is back. */
    @SuppressWarnings("unchecked")
    private Mono<Long> take(String key, RateLimitProperties.Limit limit) {
        return redis.execute(TOKEN_BUCKET, List.of(key),
                        List.of(String.valueOf(limit.requestsPerSecond()), String.valueOf(limit.burst()), String.valueOf(limit.leaseSize())))
                .next()
                .map(result -> {
                    List<Object> answer = (List<Object>) result;
                    int granted = ((Number) answer.get(0)).intValue();
                    if (granted == 0) {
                        return Math.max(1L, ((Number) answer.get(1)).longValue());
                    }
                    leases.keep(key, granted - 1);
                    return 0L;
                })
                .timeout(REDIS_TIMEOUT)
                // leave Lettuce's single I/O thread at once: the request must not be handled on it
                .publishOn(Schedulers.parallel())
                .onErrorResume(failure -> {
                    unchecked.increment();
                    log.warn("rate limit not checked: {}", failure.getClass().getSimpleName());
                    return Mono.just(0L);
                });
    }

    private static String tenantOf(JwtAuthenticationToken token) {
        Object org = token.getToken().getClaims().get("org");
        return org != null ? org.toString() : "user:" + token.getToken().getSubject();
    }
}
