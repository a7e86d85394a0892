package io.seatledger.api.ratelimit;

import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Tokens this instance has taken from a shared bucket and not spent yet. A request that finds one here is let
 * through without asking Redis; unspent tokens lapse after {@link #LIFETIME}, so an instance never sits on
 * tokens other instances could have used for longer than that, and a lapsed lease is dropped even if its bucket
 * is never asked again.
 */
final class TokenLeases {

    static final Duration LIFETIME = Duration.ofSeconds(1);

    private final Map<String, Lease> leases;
    private final LongSupplier nanoTime;

    TokenLeases(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.leases = Caffeine.newBuilder().ticker(nanoTime::getAsLong).expireAfterWrite(LIFETIME).<String, Lease>build().asMap();
    }

    /** How many buckets hold a lease that has not lapsed. */
    int held() {
        return (int) leases.values().stream().count();
    }

    /** Spends one leased token of {@code bucket}; false when none is left (or they lapsed). */
    boolean trySpend(String bucket) {
        Lease lease = leases.get(bucket);
        if (lease == null) {
            return false;
        }
        boolean spent = lease.trySpend(nanoTime.getAsLong());
        if (!spent) {
            leases.remove(bucket, lease);
        }
        return spent;
    }

    /** Keeps {@code tokens} more of {@code bucket} for later requests. */
    void keep(String bucket, int tokens) {
        if (tokens > 0) {
            long until = nanoTime.getAsLong() + LIFETIME.toNanos();
            leases.merge(bucket, new Lease(tokens, until), (held, more) -> held.add(tokens, until));
        }
    }

    private static final class Lease {

        private int tokens;
        private long until;

        Lease(int tokens, long until) {
            this.tokens = tokens;
            this.until = until;
        }

        synchronized boolean trySpend(long now) {
            if (tokens == 0 || now - until > 0) {
                tokens = 0;
                return false;
            }
            tokens--;
            return true;
        }

        synchronized Lease add(int more, long newUntil) {
            tokens += more;
            until = newUntil;
            return this;
        }
    }
}
