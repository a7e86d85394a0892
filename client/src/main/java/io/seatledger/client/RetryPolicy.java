package io.seatledger.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a call is repeated: at most {@code maxAttempts} sends in all; between them an exponential
 * backoff from {@code initialBackoff}, doubled each time up to {@code maxBackoff}, with full jitter (a random wait up to
 * that bound, so that many clients refused at once do not come back at once). A {@code Retry-After} of the service
 * replaces the backoff when it is longer, and a wait longer than {@code maxRetryAfter} is not waited for: the problem is
 * thrown instead.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("backoffs must be positive and maxBackoff at least initialBackoff");
        }
    }

    /** Four attempts, 100 ms doubling up to 2 s, and a Retry-After of up to 30 s honoured. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    /** One attempt: every failure reaches the caller at once. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The wait before attempt {@code attempt + 1} (attempt counts from 1): the jittered backoff, or the service's
     * {@code retryAfter} if that is longer.
     */
    public Duration delayBefore(int attempt, Duration retryAfter) {
        long bound = initialBackoff.toNanos() << Math.min(attempt - 1, 30);
        if (bound <= 0 || bound > maxBackoff.toNanos()) {
            bound = maxBackoff.toNanos();
        }
        Duration backoff = Duration.ofNanos(bound == 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }
}
