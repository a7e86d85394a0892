package io.seatledger.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token buckets in this instance's memory, with the rules of the shared bucket script ({@code redis/token-bucket.lua}):
 * what {@link TokenBuckets} answers from while Redis cannot. Bounded in number; a bucket unused for
 * {@link #IDLE} is forgotten (it would be full again by then at any rate worth limiting).
 */
final class LocalBuckets {

    static final int MAX_BUCKETS = 50_000;
    static final Duration IDLE = Duration.ofMinutes(5);

    private final Cache<String, Bucket> buckets;
    private final LongSupplier nanoTime;

    LocalBuckets(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.buckets = Caffeine.newBuilder().maximumSize(MAX_BUCKETS).expireAfterAccess(IDLE).build();
    }

    /** As the script: up to {@code wanted} tokens if at least {@code least} are there, else how long until they are. */
    TokenBuckets.Grant take(String key, RateLimitProperties.Limit limit, int wanted, int least) {
        return buckets.get(key, unused -> new Bucket(limit.burst(), nanoTime.getAsLong())).take(limit, wanted, least, nanoTime.getAsLong());
    }

    private static final class Bucket {

        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized TokenBuckets.Grant take(RateLimitProperties.Limit limit, int wanted, int least, long now) {
            tokens = Math.min(limit.burst(), tokens + Math.max(0, now - at) * limit.requestsPerSecond() / 1e9);
            at = now;
            if (Math.floor(tokens) >= least) {
                int granted = (int) Math.min(wanted, Math.floor(tokens));
                tokens -= granted;
                return new TokenBuckets.Grant(granted, 0);
            }
            return new TokenBuckets.Grant(0, (long) Math.ceil((least - tokens) * 1000 / limit.requestsPerSecond()));
        }
    }
}
