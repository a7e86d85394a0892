package io.seatledger.api.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.seatledger.api.consistency.CommandPositions;
import io.seatledger.command.seatpool.SeatPolicy;
import io.seatledger.command.seatpool.SeatPool;
import io.seatledger.messages.common.AuditMetadata;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.springframework.jdbc.core.JdbcTemplate;
import io.seatledger.projections.positions.PositionRecordingTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How Axon runs here, declared rather than left to auto-configuration, which on Spring Boot 4 falls
 * back to no transactions and in-memory stores: the JDBC event store (embedded default), the JDBC
 * token store, Spring-managed transactions, durable deadlines, snapshots and caching for large pools.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SeatLedgerProperties.class)
public class AxonConfiguration {

    /** Stored events live in their own schema; column names follow PostgreSQL's snake_case. */
    static final EventSchema EVENT_SCHEMA = EventSchema.builder()
            .eventTable("events.domain_event_entry")
            .snapshotTable("events.snapshot_event_entry")
            .globalIndexColumn("global_index")
            .eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .typeColumn("type")
            .timestampColumn("time_stamp")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .build();

    static final TokenSchema TOKEN_SCHEMA = TokenSchema.builder()
            .setTokenTable("axon.token_entry")
            .setProcessorNameColumn("processor_name")
            .setSegmentColumn("segment")
            .setTokenColumn("token")
            .setTokenTypeColumn("token_type")
            .setTimestampColumn("timestamp")
            .setOwnerColumn("owner")
            .build();

    private static final String UNIQUE_VIOLATION = "23505";
    /** Recent events kept for the processors reading near the head of the event store. */
    private static final int CACHED_EVENTS = 1_000;

    /**
     * Axon's replay token keeps its reset context as a polymorphic {@code Object}, which Jackson 3 refuses to
     * read by default: without this no processor could ever be replayed. Polymorphic values may be Axon's
     * own types, ours, or plain JDK values; nothing else.
     */
    @Bean
    public Jackson3SerializerCustomizer polymorphicTypesOfAxonAndSeatLedger() {
        return builder -> builder.polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("org.axonframework.")
                .allowIfSubType("io.seatledger.")
                .allowIfSubType("java.lang.")
                .allowIfSubType("java.util.")
                .allowIfSubType("java.time.")
                .build());
    }

    @Bean
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    /** Joins the Spring transaction, so a projection's writes and its token update commit together. */
    @Bean
    public ConnectionProvider connectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    /** A second write of the same aggregate sequence number is a lost race, not a failure. */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return exception -> {
            for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        };
    }

    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    public EventStorageEngine eventStorageEngine(ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                                 Serializer serializer, @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 FlywayMigrationInitializer schemaReady) {
        return JdbcEventStorageEngine.builder()
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(EVENT_SCHEMA)
                .dataType(byte[].class)
                .snapshotSerializer(new CompressedSnapshots((Jackson3Serializer) serializer))
                .snapshotFilter(currentLayoutOnly(serializer))
                .eventSerializer(eventSerializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .batchSize(500)
                .build();
    }

    /**
     * The store the processors read, as Axon's auto-configuration would build it, but with a smaller cache of recent
     * events for the processors reading near the head: 10,000 by default, each kept with its payload and metadata
     * once deserialized, which outlived the young generation during a bulk import and was collected only by full
     * collections. A processor further behind reads on its own.
     */
    @Bean(name = "eventBus")
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .cachedEvents(CACHED_EVENTS)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .build();
    }

    /**
     * The Axon Server store (profile {@code axonserver}) as Axon's auto-configuration builds it, but with the snapshots
     * compressed as in the JDBC store: Axon's own would serialize them with the general serializer, and a large pool's
     * snapshot (~30 MB of JSON) would exceed the largest message Axon Server and its client accept.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
    public AxonServerEventStore axonServerEventStore(AxonServerConfiguration axonServer, Configuration configuration,
                                                     AxonServerConnectionManager connections, Serializer serializer,
                                                     @Qualifier("eventSerializer") Serializer eventSerializer) {
        return AxonServerEventStore.builder()
                .messageMonitor(configuration.messageMonitor(AxonServerEventStore.class, "eventStore"))
                .configuration(axonServer)
                .platformConnectionManager(connections)
                .snapshotSerializer(new CompressedSnapshots((Jackson3Serializer) serializer))
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .upcasterChain(configuration.upcasterChain())
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .build();
    }

    /**
     * Only snapshots in their aggregate's current layout (its {@code @Revision}) are used; an older one is ignored and
     * the aggregate replays its events. The JDBC engine is built here, so Axon's per-aggregate revision filters (which
     * the Axon Server store gets from the configuration) do not reach it.
     */
    static SnapshotFilter currentLayoutOnly(Serializer serializer) {
        return snapshot -> {
            SerializedType stored = snapshot.getPayload().getType();
            Class<?> type = serializer.classForType(stored);
            return !UnknownSerializedType.class.equals(type)
                    && Objects.equals(serializer.typeForClass(type).getRevision(), stored.getRevision());
        };
    }

    /** Positions of stored commands, looked up in the JDBC event store's table. */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    public CommandPositions commandPositions(EventStore eventStore, JdbcTemplate jdbc) {
        return CommandPositions.inTable(eventStore, jdbc, EVENT_SCHEMA);
    }

    /** Positions of stored commands with Axon Server: its head once the command is stored. */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
    public CommandPositions commandPositionsAtHead(EventStore eventStore) {
        return CommandPositions.atHead(eventStore);
    }

    @Bean
    public TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, JdbcTemplate jdbc,
                                 FlywayMigrationInitializer schemaReady,
                                 @org.springframework.beans.factory.annotation.Value("${seatledger.node-id:}") String nodeId) {
        return new PositionRecordingTokenStore(JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(TOKEN_SCHEMA)
                .contentType(byte[].class)
                // Who owns a claimed segment: instances must differ (pid@host by default; set seatledger.node-id where
                // that is not unique, e.g. to the pod name).
                .nodeId(nodeId.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : nodeId)
                .claimTimeout(Duration.ofSeconds(10))
                .build(), jdbc);
    }

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
        return new CachedAggregateSnapshotter(configuration::repository, eventStore, snapshotExecutor);
    }

    @Bean
    public SnapshotTriggerDefinition seatPoolSnapshotTrigger(CachedAggregateSnapshotter seatLedgerSnapshotter, SeatLedgerProperties properties) {
        return new EventCountSnapshotTriggerDefinition(seatLedgerSnapshotter, properties.writeModel().snapshotThreshold());
    }

    @Bean
    public Cache seatPoolCache(SeatLedgerProperties properties) {
        return new RecentlyUsedCache(properties.writeModel().seatsHeld(), AxonConfiguration::seatsInMemory);
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
    public CommandGateway commandGateway(CommandBus commandBus, ScheduledExecutorService commandRetryExecutor, SeatLedgerProperties properties) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(new ConflictRetryScheduler(commandRetryExecutor, properties.writeModel().commandRetries()))
                .build();
    }

    /** Time in whole microseconds ({@link MicrosecondClock}). */
    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return MicrosecondClock.utc();
    }

    @Bean
    public SeatPolicy seatPolicy(SeatLedgerProperties properties) {
        return new SeatPolicy(properties.seats().invitationValidity(), properties.seats().maxBulkSeats(), properties.seats().expiryCheckInterval());
    }

    // ---------------------------------------------------------------- deadlines

    /**
     * Durable deadlines (invitation expiry, period end, grace end) in PostgreSQL. The data source joins
     * the Spring transaction, so a deadline is stored exactly when the events that scheduled it are.
     * Recurring tasks (the scheduled reconciliation, the audit checkpoints) run here too, once per cluster; a thread each more than the
     * deadlines need, so a long reconciliation does not hold them up.
     */
    @Bean
    public Scheduler deadlineScheduler(DataSource dataSource, List<Task<?>> tasks, List<RecurringTask<?>> recurring,
                                       FlywayMigrationInitializer schemaReady) {
        // a start task is known to the scheduler through startTasks; listed among the tasks too it would be a duplicate
        List<Task<?>> others = tasks.stream().filter(task -> !(task instanceof RecurringTask<?>)).toList();
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), others)
                .startTasks(recurring)
                .tableName("axon.scheduled_tasks")
                .threads(4)
                .pollingInterval(Duration.ofSeconds(1))
                .build();
    }
}
