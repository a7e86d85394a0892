package io.seatledger.query;

import io.seatledger.readmodel.CounterKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decides where a hot read is answered: Redis when it is reachable and its counters are complete, else
 * PostgreSQL, which holds the same facts. The completeness mark is read with the answer (in the same script, or
 * in the same pipeline), so a flushed Redis is never trusted, not even for one request. After
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

    /**
     * {@code fromRedis} with the completeness mark read in the same pipeline; PostgreSQL when the mark is missing.
     */
    public <T> Mono<T> fromRedisOrElse(Mono<T> fromRedis, Supplier<Mono<T>> fromPostgres) {
        return fromCheckedRedisOrElse(Mono.zip(redis.hasKey(CounterKeys.COMPLETE), fromRedis.map(Optional::of).defaultIfEmpty(Optional.empty()))
                .flatMap(answer -> answer.getT1() ? Mono.justOrEmpty(answer.getT2()).map(Optional::of) : Mono.just(Optional.<T>empty())), fromPostgres);
    }

    /**
     * A Redis read that checked the completeness mark itself (in the same script): it answers an empty
     * {@link Optional} while the counters are incomplete, else the answer (or nothing, when there is none). PostgreSQL
     * answers instead when Redis is incomplete, fails, is slower than the timeout, or failed lately; the PostgreSQL
     * query is built only then.
     */
    public <T> Mono<T> fromCheckedRedisOrElse(Mono<Optional<T>> fromRedis, Supplier<Mono<T>> fromPostgres) {
        return Mono.deferContextual(context -> context.hasKey(POSTGRES_ONLY) ? fromPostgres.get() : fromAnyStore(fromRedis, fromPostgres));
    }

    private <T> Mono<T> fromAnyStore(Mono<Optional<T>> fromRedis, Supplier<Mono<T>> fromPostgres) {
        if (System.nanoTime() - skipRedisUntil < 0) {
            return fallBack("failed lately", fromPostgres);
        }
        return fromRedis
                .timeout(timeout)
                // leave Lettuce's single I/O thread at once: the rest of the request must not queue behind other replies
                .publishOn(Schedulers.parallel())
                .flatMap(answer -> answer.isPresent() ? Mono.just(answer.get()) : fallBack("incomplete", fromPostgres))
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

    private <T> Mono<T> fallBack(String why, Supplier<Mono<T>> fromPostgres) {
        if (fallbacks.getAndIncrement() % 1000 == 0) {
            log.warn("Redis read model not usable ({}): answering from PostgreSQL", why);
        }
        return fromPostgres.get();
    }
}
