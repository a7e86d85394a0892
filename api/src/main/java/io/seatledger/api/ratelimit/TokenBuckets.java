package io.seatledger.api.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.readmodel.LuaScripts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Token buckets shared by every instance (Redis, {@code redis/token-bucket.lua}): every rate limit of the service
 * takes its tokens here. Single tokens are taken in leases ({@link RateLimitProperties.Limit#leaseSize()}, a 50th
 * of the rate) and the rest spent locally ({@link TokenLeases}), so at high rates most requests pass without a
 * Redis round trip. When Redis does not answer, this instance falls back to buckets of its own with the same
 * rates ({@link LocalBuckets}) for {@link #REDIS_RETRY}, then asks Redis again: limits still hold, per instance.
 */
@Component
public class TokenBuckets {

    /** Granted tokens (0 when refused) and, when refused, milliseconds until enough are back. */
    record Grant(int granted, long waitMillis) {

        /** Nothing when the tokens were granted, else how long until they are back (at least a millisecond). */
        Duration waitIfRefused() {
            return granted == 0 ? Duration.ofMillis(Math.max(1, waitMillis)) : Duration.ZERO;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(TokenBuckets.class);
    static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);
    static final Duration REDIS_RETRY = Duration.ofSeconds(2);
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> TOKEN_BUCKET = RedisScript.of(LuaScripts.text("redis/token-bucket.lua"), List.class);

    private final ReactiveStringRedisTemplate redis;
    private final LongSupplier nanoTime = System::nanoTime;
    private final TokenLeases leases = new TokenLeases(nanoTime);
    private final LocalBuckets local = new LocalBuckets(nanoTime);
    private final AtomicBoolean fallback = new AtomicBoolean();
    private volatile long askRedisAgainAt;
    private final Counter checkedLocally;

    public TokenBuckets(ReactiveStringRedisTemplate redis, MeterRegistry meters) {
        this.redis = redis;
        this.checkedLocally = Counter.builder("seatledger.http.rate.limit.local").baseUnit("requests")
                .description("rate limit checks answered by this instance's own buckets because Redis did not answer").register(meters);
        Gauge.builder("seatledger.http.rate.limit.fallback", fallback, active -> active.get() ? 1 : 0)
                .description("1 while this instance checks rate limits with its own buckets (Redis unreachable)").register(meters);
    }

    /** Zero when one token of {@code key} was spent, else how long until one is back. */
    public Mono<Duration> takeOne(String key, RateLimitProperties.Limit limit) {
        if (leases.trySpend(key)) {
            return Mono.just(Duration.ZERO);
        }
        return take(key, limit, limit.leaseSize(), 1).map(grant -> {
            if (grant.granted() > 0) {
                leases.keep(key, grant.granted() - 1);
            }
            return grant.waitIfRefused();
        });
    }

    /** Zero when {@code tokens} of {@code key} were spent at once (at most the bucket's burst), else how long until they are back. */
    public Mono<Duration> take(String key, RateLimitProperties.Limit limit, int tokens) {
        int cost = Math.max(1, Math.min(tokens, limit.burst()));
        return take(key, limit, cost, cost).map(Grant::waitIfRefused);
    }

    /** True while this instance answers from its own buckets. */
    public boolean fallingBack() {
        return fallback.get();
    }

    @SuppressWarnings("unchecked")
    private Mono<Grant> take(String key, RateLimitProperties.Limit limit, int wanted, int least) {
        if (fallback.get() && nanoTime.getAsLong() - askRedisAgainAt < 0) {
            return Mono.fromSupplier(() -> locally(key, limit, wanted, least));
        }
        return redis.execute(TOKEN_BUCKET, List.of(key), List.of(String.valueOf(limit.requestsPerSecond()), String.valueOf(limit.burst()),
                        String.valueOf(wanted), String.valueOf(least)))
                .next()
                .map(result -> {
                    List<Object> answer = (List<Object>) result;
                    return new Grant(((Number) answer.get(0)).intValue(), ((Number) answer.get(1)).longValue());
                })
                .timeout(REDIS_TIMEOUT)
                // leave Lettuce's single I/O thread at once: the request must not be handled on it
                .publishOn(Schedulers.parallel())
                .doOnNext(answered -> {
                    if (fallback.compareAndSet(true, false)) {
                        log.info("Redis answers again: rate limits are shared by all instances again");
                    }
                })
                .onErrorResume(failure -> {
                    askRedisAgainAt = nanoTime.getAsLong() + REDIS_RETRY.toNanos();
                    if (fallback.compareAndSet(false, true)) {
                        log.warn("Redis did not answer a rate limit check ({}): this instance limits on its own until it does",
                                failure.getClass().getSimpleName());
                    }
                    return Mono.just(locally(key, limit, wanted, least));
                });
    }

    private Grant locally(String key, RateLimitProperties.Limit limit, int wanted, int least) {
        checkedLocally.increment();
        // no leases locally: the local bucket is this instance's alone
        return local.take(key, limit, least, least);
    }
}
