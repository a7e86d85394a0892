package io.seatledger.query;

import io.seatledger.readmodel.CounterKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides where a hot read is answered: Redis when it is reachable and its counters are complete, else
 * PostgreSQL, which holds the same facts. The completeness mark is read in the same pipeline as the
 * answer (Lettuce sends both at once), so a flushed Redis is never trusted, not even for one request. After
 * Redis failed to answer, reads go straight to PostgreSQL for {@link #PAUSE_AFTER_FAILURE}: while Redis is down,
 * each read would otherwise wait out the timeout first.
 */
public class ReadSource {

    private static final Logger log = LoggerFactory.getLogger(ReadSource.class);

    private final ReactiveStringRedisTemplate redis;
    private final Duration timeout;
    /** How long reads skip Redis after it failed to answer; then one read tries it again. */
    static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);

    private final AtomicLong fallbacks = new AtomicLong();
    /** System.nanoTime() until which Redis is not asked. */
    private volatile long skipRedisUntil = System.nanoTime();

    public ReadSource(ReactiveStringRedisTemplate redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    /**
     * In a request's Reactor context: answer from PostgreSQL. Set for a read that waited for a position PostgreSQL's
     * read model has reached and the Redis counters have not (Redis down, or behind).
     */
    public static final String POSTGRES_ONLY = ReadSource.class.getName() + ".postgresOnly";

    public <T> Mono<T> fromRedisOrElse(Mono<T> fromRedis, Mono<T> fromPostgres) {
        return Mono.deferContextual(context -> context.hasKey(POSTGRES_ONLY) ? fromPostgres : fromAnyStore(fromRedis, fromPostgres));
    }

    private <T> Mono<T> fromAnyStore(Mono<T> fromRedis, Mono<T> fromPostgres) {
        if (System.nanoTime() - skipRedisUntil < 0) {
            return fallBack("failed lately", fromPostgres);
        }
        return Mono.zip(redis.hasKey(CounterKeys.COMPLETE), fromRedis.map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty()))
                .timeout(timeout)
                // leave Lettuce's single I/O thread at once: the rest of the request must not queue behind other replies
                .publishOn(Schedulers.parallel())
                .flatMap(answer -> answer.getT1() ? Mono.justOrEmpty(answer.getT2()) : fallBack("incomplete", fromPostgres))
                .onErrorResume(failure -> !(failure instanceof io.seatledger.messages.common.SeatLedgerException),
                        failure -> {
                            skipRedisUntil = System.nanoTime() + PAUSE_AFTER_FAILURE.toNanos();
                            return fallBack(failure.getClass().getSimpleName(), fromPostgres);
                        });
    }

    /** How many reads PostgreSQL answered instead of Redis since start. */
    public long fallbacks() {
        return fallbacks.get();
    }

    private <T> Mono<T> fallBack(String why, Mono<T> fromPostgres) {
        if (fallbacks.getAndIncrement() % 1000 == 0) {
            log.warn("Redis read model not usable ({}): answering from PostgreSQL", why);
        }
        return fromPostgres;
    }
}
