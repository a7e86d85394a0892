package io.seatledger.api.eventstore;

import io.seatledger.api.axon.CompressedSnapshots;
import io.seatledger.api.support.IntegrationTest;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import io.seatledger.projections.positions.PositionRecordingTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spring Boot 4 silently falls back to in-memory stores and no transactions; these are the ones we declared. */
class AxonWiringTest extends IntegrationTest {

    @Autowired javax.sql.DataSource dataSource;
    @Autowired io.r2dbc.spi.ConnectionFactory readConnections;
    @Autowired EventStorageEngine storageEngine;
    @Autowired EventStore eventStore;
    @Autowired TokenStore tokenStore;
    @Autowired TaskScheduler taskScheduler;
    @Autowired TransactionManager transactionManager;
    @Autowired DeadlineManager deadlineManager;
    @Autowired Serializer serializer;
    @Autowired @Qualifier("eventSerializer") Serializer eventSerializer;
    @Autowired java.util.List<org.axonframework.eventsourcing.Snapshotter> snapshotters;
    @Autowired org.axonframework.common.caching.Cache seatPoolCache;
    @Autowired org.springframework.context.ApplicationContext context;

    @Test
    void poolsAreSnapshottedFromTheLoadedPoolAndTheMostRecentStaysLoaded() {
        assertThat(snapshotters).singleElement().isInstanceOf(io.seatledger.api.axon.CachedAggregateSnapshotter.class);
        assertThat(seatPoolCache).isInstanceOf(io.seatledger.api.axon.RecentlyUsedCache.class);
    }

    @Test
    void eventsAreStoredByTheJdbcEngineInPostgres() {
        assertThat(storageEngine).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(eventStore).isInstanceOf(EmbeddedEventStore.class);
    }

    /** As with Axon Server (AxonServerSnapshotSizeTest): a large pool's snapshot is stored compressed. */
    @Test
    void snapshotsAreStoredCompressed() {
        assertThat(((JdbcEventStorageEngine) storageEngine).getSnapshotSerializer()).isInstanceOf(CompressedSnapshots.class);
    }

    @Test
    void backgroundChecksHaveTheirOwnSchedulerNotTheCommandRetries() {
        assertThat(taskScheduler).isInstanceOf(ThreadPoolTaskScheduler.class);
        assertThat(((ThreadPoolTaskScheduler) taskScheduler).getThreadNamePrefix()).isEqualTo("scheduled-");
    }

    @Test
    void tokensAreStoredInPostgresNotInMemory() {
        assertThat(tokenStore).isInstanceOf(PositionRecordingTokenStore.class);
        assertThat(((PositionRecordingTokenStore) tokenStore).recording()).isInstanceOf(JdbcTokenStore.class);
    }

    /** Axon applies only the first serializer customizer: both serializers read instants fast and still read every other form. */
    @Test
    void storedInstantsAreReadByTheUtcReaderAndOtherFormsStillByJacksons() throws Exception {
        for (Serializer each : java.util.List.of(serializer, eventSerializer)) {
            tools.jackson.databind.ObjectMapper mapper = ((Jackson3Serializer) each).getObjectMapper();
            assertThat(mapper.readValue("\"2026-12-03T09:38:35.218Z\"", java.time.Instant.class)).isEqualTo(java.time.Instant.parse("2026-12-03T09:38:35.218Z"));
            assertThat(mapper.readValue("\"2026-12-03T10:38:35.218+01:00\"", java.time.Instant.class)).isEqualTo(java.time.Instant.parse("2026-12-03T09:38:35.218Z"));
            assertThat(mapper.readValue("1764754715.218000000", java.time.Instant.class)).isEqualTo(java.time.Instant.parse("2025-12-03T09:38:35.218Z"));
            assertThat(mapper.registeredModules()).extracting(tools.jackson.databind.JacksonModule::getModuleName).contains("utc-instants");
        }
        assertThat(context.getBeansOfType(org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer.class)).hasSize(1);
    }

    @Test
    void unitsOfWorkRunInSpringTransactions() {
        assertThat(transactionManager).isInstanceOf(SpringTransactionManager.class);
    }

    @Test
    void deadlinesSurviveRestartsInPostgres() {
        assertThat(deadlineManager).isInstanceOf(DbSchedulerDeadlineManager.class);
    }

    /** Two instances deciding on the same aggregate version: the second write is a conflict (retried), not an error. */
    @Test
    void aSecondWriteOfTheSameAggregateSequenceIsAConcurrencyConflict() {
        String aggregateId = UUID.randomUUID().toString();
        storageEngine.appendEvents(new GenericDomainEventMessage<>("Probe", aggregateId, 0, "created"));
        storageEngine.appendEvents(new GenericDomainEventMessage<>("Probe", aggregateId, 1, "decided here"));
        assertThatThrownBy(() -> storageEngine.appendEvents(new GenericDomainEventMessage<>("Probe", aggregateId, 1, "decided elsewhere")))
                .isInstanceOf(ConcurrencyException.class);
        // Creating the same aggregate twice is not a lost race but an existing id: it is reported as such, not retried.
        assertThatThrownBy(() -> storageEngine.appendEvents(new GenericDomainEventMessage<>("Probe", aggregateId, 0, "created again")))
                .isInstanceOf(AggregateStreamCreationException.class);
    }

    @Test
    void failedStatementsCarryNoRowValuesIntoExceptionsAndLogs() {
        assertThat(((com.zaxxer.hikari.HikariDataSource) dataSource).getDataSourceProperties().getProperty("logServerErrorDetail")).isEqualTo("false");
    }

    @Test
    void theReadPathReusesPooledConnections() {
        assertThat(readConnections).isInstanceOf(io.r2dbc.pool.ConnectionPool.class);
    }

    @Test
    void messagesAreSerializedWithJackson3() {
        assertThat(serializer).isInstanceOf(Jackson3Serializer.class);
        assertThat(eventSerializer).isInstanceOf(Jackson3Serializer.class);
    }
}
