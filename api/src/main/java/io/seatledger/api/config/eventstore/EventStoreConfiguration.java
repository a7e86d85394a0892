package io.seatledger.api.config.eventstore;

import io.seatledger.api.axon.CompressedSnapshots;
import io.seatledger.api.axon.ParsedTimestampJdbcEventStorageEngine;
import io.seatledger.api.axon.ParsedTimestampJdbcEventStorageEngine.GapSettings;
import io.seatledger.api.axon.UtcInstantDeserializer;
import io.seatledger.api.consistency.CommandPositions;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import java.sql.SQLException;
import java.util.Objects;

/**
 * Where events are stored and how they are serialized, declared rather than left to Axon's auto-configuration, which on
 * Spring Boot 4 falls back to in-memory stores: the JDBC event store (embedded default) or Axon Server (profile
 * {@code axonserver}), both with compressed snapshots, and where a stored command's position is looked up.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

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

    private static final String UNIQUE_VIOLATION = "23505";
    /** Recent events kept for the processors reading near the head of the event store. */
    private static final int CACHED_EVENTS = 1_000;

    /**
     * How Axon's serializers read and write what is stored. Axon applies only the first customizer bean it finds, so this
     * is the only one.
     * <ul>
     * <li>Axon's replay token keeps its reset context as a polymorphic {@code Object}, which Jackson 3 refuses to read by
     * default: without this no processor could ever be replayed. Polymorphic values may be Axon's own types, ours, or
     * plain JDK values; nothing else.</li>
     * <li>Stored instants are read without a {@code DateTimeFormatter} ({@link UtcInstantDeserializer}).</li>
     * </ul>
     */
    @Bean
    public Jackson3SerializerCustomizer storedMessagesMapper() {
        return builder -> builder
                .addModule(UtcInstantDeserializer.module())
                .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                        .allowIfSubType("org.axonframework.")
                        .allowIfSubType("io.seatledger.")
                        .allowIfSubType("java.lang.")
                        .allowIfSubType("java.util.")
                        .allowIfSubType("java.time.")
                        .build());
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

    /** The embedded default's store: events in PostgreSQL, once the migrations have created its tables. */
    @Bean
    @DependsOnDatabaseInitialization
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    public EventStorageEngine eventStorageEngine(ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                                 Serializer serializer, @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver) {
        return new ParsedTimestampJdbcEventStorageEngine(JdbcEventStorageEngine.builder()
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(EVENT_SCHEMA)
                .dataType(byte[].class)
                .snapshotSerializer(new CompressedSnapshots((Jackson3Serializer) serializer))
                .snapshotFilter(currentLayoutOnly(serializer))
                .eventSerializer(eventSerializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .batchSize(500), GapSettings.AXON_DEFAULTS);
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

}
