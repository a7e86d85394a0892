package io.seatledger.api.config.writemodel;

import io.seatledger.api.axon.CachedAggregateSnapshotter;
import io.seatledger.api.axon.ConflictRetryScheduler;
import io.seatledger.api.axon.RecentlyUsedCache;
import io.seatledger.api.axon.SizedSnapshotTriggerDefinition;
import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.command.seatpool.SeatPolicy;
import io.seatledger.command.seatpool.SeatPool;
import io.seatledger.messages.common.AuditMetadata;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How commands are handled: large pools snapshotted off the command thread and kept loaded in a cache weighed by
 * their seats, commands that lost a concurrent append retried, the audit metadata carried from command to event,
 * the seat rules and the clock of the business time.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class WriteModelConfiguration {

    // ---------------------------------------------------------------- large pools: snapshots and caching

    @Bean(destroyMethod = "shutdown")
    public ThreadPoolTaskExecutor snapshotExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setThreadNamePrefix("snapshotter-");
        executor.initialize();
        return executor;
    }

    /** Snapshots are taken off the command thread, so the command that crosses the threshold is not slowed. */
    @Bean
    public CachedAggregateSnapshotter seatLedgerSnapshotter(Configuration configuration, EventStore eventStore,
                                                            ThreadPoolTaskExecutor snapshotExecutor) {
        return new CachedAggregateSnapshotter(configuration::repository, eventStore, snapshotExecutor,
                root -> root instanceof SeatPool pool ? pool.seatsInMemory() : 0);
    }

    /** A pool is snapshotted after as many events as the larger of the threshold and the seats of its last snapshot. */
    @Bean
    public SnapshotTriggerDefinition seatPoolSnapshotTrigger(CachedAggregateSnapshotter seatLedgerSnapshotter, SeatLedgerProperties settings) {
        return new SizedSnapshotTriggerDefinition(seatLedgerSnapshotter, seatLedgerSnapshotter::sizeAtLastSnapshot,
                settings.writeModel().snapshotThreshold());
    }

    /**
     * The stored version is read from the storage engine (not the event store, which counts the events the rolling-back
     * unit of work had queued) in the command's own transaction; without one (the snapshotter, a commit that already
     * failed, Axon Server) it is not asked, so that a pool's lock never waits for a connection, and the pool is dropped.
     */
    @Bean
    public Cache seatPoolCache(SeatLedgerProperties settings, ObjectProvider<EventStorageEngine> storage) {
        return new RecentlyUsedCache(settings.writeModel().seatsHeld(), WriteModelConfiguration::seatsInMemory, WriteModelConfiguration::cachedVersion,
                key -> {
                    EventStorageEngine engine = storage.getIfAvailable();
                    return engine == null || !TransactionSynchronizationManager.isActualTransactionActive() ? RecentlyUsedCache.NO_VERSION
                            : engine.lastSequenceNumberFor((String) key).orElse(RecentlyUsedCache.NO_VERSION);
                });
    }

    /** The version of the aggregate the repository cached, as it is now: it moves with every event applied to it. */
    static long cachedVersion(Object cached) {
        if (cached instanceof AggregateCacheEntry<?> entry) {
            Long version = entry.recreateAggregate(null, null, NoSnapshotTriggerDefinition.INSTANCE).version();
            return version == null ? RecentlyUsedCache.NO_VERSION : version;
        }
        return RecentlyUsedCache.NO_VERSION;
    }

    /** A cached pool weighs the seats it keeps in memory, read from the aggregate the repository cached (never rebuilt here). */
    static long seatsInMemory(Object cached) {
        if (cached instanceof AggregateCacheEntry<?> entry
                && entry.recreateAggregate(null, null, NoSnapshotTriggerDefinition.INSTANCE).getAggregateRoot() instanceof SeatPool pool) {
            return pool.seatsInMemory();
        }
        return 1;
    }

    // ---------------------------------------------------------------- commands

    /** Every event inherits who did it, why, in which request and for which tenant from the message that caused it. */
    @Bean
    public CorrelationDataProvider auditCorrelation() {
        return new SimpleCorrelationDataProvider(AuditMetadata.KEYS.toArray(String[]::new));
    }

    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService commandRetryExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    public CommandGateway commandGateway(CommandBus commandBus, ScheduledExecutorService commandRetryExecutor, SeatLedgerProperties settings) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(new ConflictRetryScheduler(commandRetryExecutor, settings.writeModel().commandRetries()))
                .build();
    }

    /** Time in whole microseconds ({@link MicrosecondClock}). */
    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return MicrosecondClock.utc();
    }

    @Bean
    public SeatPolicy seatPolicy(SeatLedgerProperties settings) {
        return new SeatPolicy(settings.seats().invitationValidity(), settings.seats().maxBulkSeats(), settings.seats().expiryCheckInterval());
    }
}
