package io.seatledger.query.seatpool;

import io.seatledger.query.TenantScope;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

/**
 * Read-your-writes for a pool: waits until the read model holds every event the pool had when asked (its
 * row's version reaches the event store's last sequence number), so that the answer to a command shows
 * its effect. Completes empty if the projection does not get there in time.
 */
@Component
public class PoolConsistency {

    private static final Duration FIRST_POLL = Duration.ofMillis(5);
    private static final Duration LONGEST_POLL = Duration.ofMillis(50);

    private final EventStore events;
    private final TenantScope tenant;

    public PoolConsistency(EventStore events, TenantScope tenant) {
        this.events = events;
        this.tenant = tenant;
    }

    /** Emits true once projected, false if {@code patience} ran out first. */
    public Mono<Boolean> awaitProjected(String orgId, String poolId, Duration patience) {
        return Mono.fromCallable(() -> events.lastSequenceNumberFor(poolId).orElse(-1L))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sequence -> poll(orgId, poolId, sequence, FIRST_POLL))
                .timeout(patience, Mono.just(false));
    }

    private Mono<Boolean> poll(String orgId, String poolId, long sequence, Duration wait) {
        return projectedVersion(orgId, poolId)
                .flatMap(version -> version >= sequence ? Mono.just(true)
                        : Mono.delay(wait).then(Mono.defer(() -> poll(orgId, poolId, sequence, min(wait.multipliedBy(2), LONGEST_POLL)))));
    }

    private Mono<Long> projectedVersion(String orgId, String poolId) {
        return tenant.one(orgId, database -> database.sql("select version from read_model.seat_pools where org_id = :org and pool_id = :pool")
                        .bind("org", orgId).bind("pool", poolId).map(row -> row.get("version", Long.class)).one())
                .defaultIfEmpty(-1L);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
