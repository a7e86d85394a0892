package io.seatledger.query.seatpool;

import io.seatledger.query.TenantScope;
import io.seatledger.query.feed.ChangeNotifications;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

/**
 * Read-your-writes for a pool: waits until the read model holds every event the pool had when asked (its
 * row's version reaches the event store's last sequence number), so that the answer to a command shows
 * its effect. It looks once, then listens for PostgreSQL's announcement of the pool's new version
 * (LISTEN/NOTIFY: no query per waiting request and commit), and looks again every {@link #SAFETY_POLL} in
 * case an announcement was missed.
 */
@Component
public class PoolConsistency {

    static final Duration SAFETY_POLL = Duration.ofMillis(250);
    /** How long an answer to a change waits for the read model to show it. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private final EventStore events;
    private final TenantScope tenant;
    private final ChangeNotifications notifications;

    public PoolConsistency(EventStore events, TenantScope tenant, ChangeNotifications notifications) {
        this.events = events;
        this.tenant = tenant;
        this.notifications = notifications;
    }

    /** Emits true once projected, false if {@link #PATIENCE} ran out first. */
    public Mono<Boolean> awaitProjected(String orgId, String poolId) {
        return Mono.fromCallable(() -> events.lastSequenceNumberFor(poolId).orElse(-1L))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sequence -> Flux.merge(
                                notifications.poolVersions().filter(announced -> announced.poolId().equals(poolId))
                                        .map(ChangeNotifications.PoolVersion::version),
                                Flux.interval(Duration.ZERO, SAFETY_POLL).onBackpressureDrop()
                                        .concatMap(look -> projectedVersion(orgId, poolId), 1))
                        .any(version -> version >= sequence))
                .timeout(PATIENCE, Mono.just(false));
    }

    /**
     * A look that, once begun, runs to its end even if the announcement wins meanwhile: r2dbc-postgresql leaks
     * the encoded parameters of a query cancelled before it is sent.
     */
    private Mono<Long> projectedVersion(String orgId, String poolId) {
        return Mono.defer(() -> Mono.fromFuture(tenant.one(orgId, database -> database
                                .sql("select version from read_model.seat_pools where org_id = :org and pool_id = :pool")
                                .bind("org", orgId).bind("pool", poolId).map(row -> row.get("version", Long.class)).one())
                        .defaultIfEmpty(-1L).toFuture(), true));
    }
}
