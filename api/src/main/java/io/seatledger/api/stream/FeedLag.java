package io.seatledger.api.stream;

import io.seatledger.api.consistency.CommandPositions;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.positions.ReadModelWaits;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * How current an organization's stream is. A stream that flows can still lag: its messages come from the feed, which the
 * audit-trail processor writes and which a message leaves only once the seat-pools processor has counted its pool, and
 * either may be seconds behind the event store (a burst of bulk imports).
 * Heartbeats cannot tell a client so. A probe notes the moment it looked at the newest stored event and completes once
 * the feed holds every event of the organization up to it; a stream that then sends what the feed holds has sent
 * every change stored before that moment, and says how long ago that was ({@code : lag <ms>}). An organization whose
 * event either processor parked in the dead-letter queue is not current however far the processors have read (its
 * later messages wait behind the parked one), so while one is parked no probe completes.
 */
@Component
public class FeedLag {

    /** The processors a message waits for: the one that writes the feed, and the one whose counts a message carries. */
    static final Set<String> FEED = Set.of(AuditTrailProjection.PROCESSOR, SeatPoolProjection.PROCESSOR);
    /** How long a look at the newest stored event is shared by every probe of this instance. */
    static final Duration SHARED_LOOK = Duration.ofMillis(200);
    /** How long a probe waits for the feed; then it gives up, and the stream says nothing until a later probe succeeds. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The newest stored event's position, and when (System.nanoTime) it was looked at: before the look, so never flattering. */
    private record Look(long head, long atNanos) {
    }

    private static final String PARKED = "select exists (select 1 from axon.dead_letter_entry where processing_group in ('"
            + String.join("', '", FEED) + "') and sequence_identifier = ?)";

    private final ReadModelWaits waits;
    private final JdbcTemplate jdbc;
    private final Mono<Look> look;
    private final Timer caughtUp;
    private final Counter parked;
    private final Counter gaveUp;

    public FeedLag(CommandPositions positions, ReadModelWaits waits, JdbcTemplate jdbc, MeterRegistry meters) {
        this.waits = waits;
        this.jdbc = jdbc;
        this.caughtUp = Timer.builder("seatledger.stream.lag")
                .description("From a stream's look at the newest stored event until its organization's feed held it")
                .publishPercentileHistogram().register(meters);
        this.parked = Counter.builder("seatledger.stream.lag.withheld").tag("reason", "dead_letter")
                .description("Lag claims not made: an event of the organization waits in a dead-letter queue").register(meters);
        this.gaveUp = Counter.builder("seatledger.stream.lag.withheld").tag("reason", "patience")
                .description("Lag claims not made: the feed did not catch up within the probe's patience").register(meters);
        this.look = Mono.fromCallable(() -> {
                    long at = System.nanoTime();
                    return new Look(positions.head(), at);
                })
                .subscribeOn(Schedulers.boundedElastic())
                .cacheInvalidateIf(shared -> System.nanoTime() - shared.atNanos() > SHARED_LOOK.toNanos());
    }

    /**
     * Completes, with the moment (System.nanoTime) it looked at the newest stored event, once the feed holds every event of
     * {@code orgId} stored by then; empty if the feed did not get there within {@link #PATIENCE}.
     */
    Mono<Long> probe(String orgId) {
        return look.flatMap(seen -> {
            Mono<Boolean> applied = seen.head() < 0 || waits.seenApplied(FEED, orgId, seen.head()) ? Mono.just(true)
                    : Mono.<Boolean>fromFuture(() -> waits.await(FEED, orgId, seen.head(), PATIENCE));
            return applied.flatMap(reached -> {
                if (!reached) {
                    gaveUp.increment();
                    return Mono.empty();
                }
                return nothingParked(orgId).flatMap(clear -> {
                    if (!clear) {
                        parked.increment();
                        return Mono.empty();
                    }
                    caughtUp.record(System.nanoTime() - seen.atNanos(), TimeUnit.NANOSECONDS);
                    return Mono.just(seen.atNanos());
                });
            });
        });
    }

    /** Whether neither processor holds an event of the organization in its dead-letter queue (looked at after the wait). */
    private Mono<Boolean> nothingParked(String orgId) {
        return Mono.fromCallable(() -> !Boolean.TRUE.equals(jdbc.queryForObject(PARKED, Boolean.class, orgId)))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
