package io.seatledger.api.config.projections;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seatledger.api.axon.ProcessorWakeUp;
import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.projections.ByOrganization;
import io.seatledger.projections.MaintenanceTimeouts;
import io.seatledger.projections.ErasedAddresses;
import io.seatledger.projections.ReadModelSchema;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.charge.ChargeProjection;
import io.seatledger.projections.organization.OrganizationProjection;
import io.seatledger.projections.positions.GlobalIndexes;
import io.seatledger.projections.positions.PositionRecordingTokenStore;
import io.seatledger.projections.positions.ReadModelWaits;
import io.seatledger.projections.rebuild.ProjectionProgress;
import io.seatledger.projections.rebuild.RebuildableProjection;
import io.seatledger.projections.rebuild.ShadowRebuild;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.Serializer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** How the read models are built: the processors' tokens, their event source, failures, ordering and rebuilds. */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfiguration {

    private static final TokenSchema TOKEN_SCHEMA = TokenSchema.builder()
            .setTokenTable("axon.token_entry")
            .setProcessorNameColumn("processor_name")
            .setSegmentColumn("segment")
            .setTokenColumn("token")
            .setTokenTypeColumn("token_type")
            .setTimestampColumn("timestamp")
            .setOwnerColumn("owner")
            .build();

    /** Where each processor is, in PostgreSQL beside the read models, with the position each token stands for. */
    @Bean
    @DependsOnDatabaseInitialization
    public TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, JdbcTemplate jdbc, SeatLedgerProperties settings) {
        String nodeId = settings.nodeId();
        return new PositionRecordingTokenStore(JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(TOKEN_SCHEMA)
                .contentType(byte[].class)
                // Who owns a claimed segment: instances must differ (pid@host by default; set seatledger.node-id where
                // that is not unique, e.g. to the pod name).
                .nodeId(nodeId == null || nodeId.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : nodeId)
                .claimTimeout(Duration.ofSeconds(10))
                .build(), jdbc);
    }

    /**
     * A failing event handler fails its batch: the batch's writes and its token roll back together and the
     * processor retries, instead of Axon's default of logging the error and moving on past the event.
     */
    @Bean
    public ConfigurerModule projectionsFailLoudly() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(config -> PropagatingErrorHandler.instance());
    }

    /**
     * An organization's audit chain links its events in order, whichever aggregate they came from; its usage
     * is recounted from all its pools: both projections see an organization's events on one segment.
     */
    @Bean
    public ConfigurerModule organizationsInOrder() {
        return configurer -> configurer.eventProcessing()
                .registerSequencingPolicy(AuditTrailProjection.PROCESSOR, config -> ByOrganization.INSTANCE)
                .registerSequencingPolicy(SeatPoolProjection.PROCESSOR, config -> ByOrganization.INSTANCE);
    }

    /**
     * How often a segment with nothing of its own to handle stores how far it has read (Axon's default: 5 s). Other
     * instances see a segment's progress only in the token store, so reads that wait for a position and the stream's
     * {@code lag} claims made there would otherwise trail by up to that long.
     */
    static final Duration PROGRESS_STORED_EVERY = Duration.ofSeconds(1);

    /**
     * Pooled processors learn of events committed in this JVM at once instead of by their 500 ms poll (see
     * {@link ProcessorWakeUp}); Axon Server's streams announce new events by themselves and are left as they are. Every
     * pooled processor stores an idle segment's progress every {@link #PROGRESS_STORED_EVERY}. (One registration: Axon
     * keeps only the last default configuration registered.)
     */
    @Bean
    public ConfigurerModule pooledProcessorDefaults(JdbcTemplate jdbc) {
        AtomicReference<ProcessorWakeUp> wakeUp = new AtomicReference<>();
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration((config, builder) -> {
            builder.claimExtensionThreshold(PROGRESS_STORED_EVERY.toMillis());
            if (!(config.eventStore() instanceof EmbeddedEventStore store)) {
                return builder;
            }
            return builder.messageSource(wakeUp.updateAndGet(existing -> existing != null ? existing : wokenOnCommit(store, jdbc)));
        });
    }

    private static ProcessorWakeUp wokenOnCommit(EmbeddedEventStore store, JdbcTemplate jdbc) {
        ProcessorWakeUp wakeUp = new ProcessorWakeUp(new GlobalIndexes(store, GlobalIndexes.storedIn(jdbc)));
        store.registerDispatchInterceptor(events -> {
            CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.root().afterCommit(committed -> wakeUp.eventsCommitted()));
            return (index, event) -> event;
        });
        return wakeUp;
    }

    /**
     * Reads waiting for a position. The processors sequenced by organization (and {@code organizations}, sequenced per
     * aggregate, the organization itself) keep a tenant's events on one segment: a tenant's read waits for that one.
     */
    @Bean
    public ReadModelWaits readModelWaits(JdbcTemplate jdbc, EventProcessingConfiguration processing) {
        return new ReadModelWaits(jdbc, processing, Set.of(SeatPoolProjection.PROCESSOR, AuditTrailProjection.PROCESSOR, OrganizationProjection.PROCESSOR));
    }

    // ---------------------------------------------------------------- rebuilds into shadow tables

    @Bean
    public ShadowRebuild shadowRebuild(List<RebuildableProjection> projections, StreamableMessageSource<TrackedEventMessage<?>> events,
                                       TokenStore tokens, TransactionManager axonTransactions, PlatformTransactionManager transactions,
                                       EventProcessingConfiguration processing, JdbcTemplate jdbc, MaintenanceTimeouts maintenance,
                                       Clock clock, ReadModelWaits waits, SeatLedgerProperties settings) {
        return new ShadowRebuild(projections, events, tokens, axonTransactions, transactions, processing, jdbc, maintenance, clock, waits,
                settings.projections().rebuildBatchSize());
    }

    @Bean
    public RebuildableProjection seatPoolsRebuild(JdbcTemplate jdbc, ErasedAddresses addresses) {
        return new RebuildableProjection(SeatPoolProjection.PROCESSOR, ReadModelSchema.LIVE, List.of("seat_pools", "seats", "org_usage", "charges"),
                schema -> List.of(new SeatPoolProjection(jdbc, schema, null, addresses), new ChargeProjection(jdbc, schema, null)), ByOrganization.INSTANCE);
    }

    @Bean
    public RebuildableProjection organizationsRebuild(JdbcTemplate jdbc, ErasedAddresses addresses) {
        return new RebuildableProjection(OrganizationProjection.PROCESSOR, ReadModelSchema.LIVE, List.of("organizations"),
                schema -> new OrganizationProjection(jdbc, schema, null, addresses), SequentialPerAggregatePolicy.instance());
    }

    @Bean
    public RebuildableProjection auditTrailRebuild(JdbcTemplate jdbc) {
        return new RebuildableProjection(AuditTrailProjection.PROCESSOR, ReadModelSchema.AUDIT, List.of("entries"),
                schema -> new AuditTrailProjection(jdbc, schema, null), ByOrganization.INSTANCE);
    }

    /** seatledger_projection_position and seatledger_projection_lag_events (events behind the newest stored event), per processor. */
    @Bean
    public MeterBinder projectionLag(ProjectionProgress progress, EventProcessingConfiguration processing) {
        return registry -> processing.eventProcessors().keySet().forEach(name -> {
            Gauge.builder("seatledger.projection.position", progress, p -> p.positions().getOrDefault(name, -1L))
                    .description("Global position of the last event the processor's slowest segment applied")
                    .tag("processor", name).register(registry);
            Gauge.builder("seatledger.projection.lag", progress, p -> Math.max(0, p.headPosition() - p.positions().getOrDefault(name, -1L)))
                    .description("Events stored but not yet applied by the processor's slowest segment")
                    .baseUnit("events").tag("processor", name).register(registry);
        });
    }
}
