package io.seatledger.api.config.eventstore;

import io.seatledger.api.axon.ParsedTimestampJdbcEventStorageEngine;
import io.seatledger.api.axon.ParsedTimestampJdbcEventStorageEngine.GapSettings;
import io.seatledger.api.support.Commands;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service's engine reads the same events with the same tracking tokens as Axon's own engine, on the same rows:
 * from no token (the positions below the first event are gaps while it is recent), from every token in between,
 * across gaps in the global index that may still fill, and once they are old enough to be given up. The rows are
 * real stored events copied into a table of the test's own, at positions and times the test chooses, so that
 * nothing the service stores meanwhile comes between the two engines' reads.
 */
class ParsedTimestampEngineTest extends IntegrationTest {

    /** The copy's positions: the first far above 1, gaps of one and of several positions, two in a row without. */
    private static final long[] POSITIONS = {100, 101, 104, 105, 109, 117};
    private static final EventSchema COPY = EventSchema.builder().eventTable("engine_test.domain_event_entry")
            .snapshotTable("events.snapshot_event_entry").globalIndexColumn("global_index").eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier").sequenceNumberColumn("sequence_number").typeColumn("type")
            .timestampColumn("time_stamp").payloadTypeColumn("payload_type").payloadRevisionColumn("payload_revision")
            .payloadColumn("payload").metaDataColumn("meta_data").build();

    @Autowired EventStorageEngine serviceEngine;
    @Autowired ConnectionProvider connections;
    @Autowired TransactionManager axonTransactions;
    @Autowired Serializer serializer;
    @Autowired @Qualifier("eventSerializer") Serializer eventSerializer;
    @Autowired CommandGateway gateway;
    @Autowired DatabaseOwner owner;

    private Instant storedAt;

    @BeforeEach
    void copyStoredEventsToTheTestsOwnPositions() {
        List<String> orgIds = new ArrayList<>();
        Commands commands = new Commands(gateway);
        for (int i = 0; i < POSITIONS.length; i++) {
            String orgId = "org-" + UUID.randomUUID();
            orgIds.add(orgId);
            commands.send(new CreateOrganization(orgId, "Acme " + i, new BillingManager("manager-1", "b" + i + "@acme.example")), Commands.actor("manager-1", orgId));
        }
        JdbcTemplate asOwner = owner.jdbc();
        asOwner.execute("drop schema if exists engine_test cascade");
        asOwner.execute("create schema engine_test");
        asOwner.execute("create table engine_test.domain_event_entry (like events.domain_event_entry including constraints including indexes)");
        asOwner.execute("grant usage on schema engine_test to seatledger_runtime");
        asOwner.execute("grant select on engine_test.domain_event_entry to seatledger_runtime");
        storedAt = Instant.now();
        for (int i = 0; i < POSITIONS.length; i++) {
            Map<String, Object> row = asOwner.queryForMap("select * from events.domain_event_entry where aggregate_identifier = ?", orgIds.get(i));
            // The third and fourth rows a minute older than the rest: one read meets gaps it keeps and gaps it gives up.
            Instant at = i == 2 || i == 3 ? storedAt.minusSeconds(65) : storedAt.minusSeconds(5);
            asOwner.update("""
                    insert into engine_test.domain_event_entry (global_index, event_identifier, meta_data, payload, payload_revision, payload_type,
                                                                time_stamp, aggregate_identifier, sequence_number, type)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    POSITIONS[i], row.get("event_identifier"), row.get("meta_data"), row.get("payload"), row.get("payload_revision"),
                    row.get("payload_type"), DateTimeUtils.formatInstant(at), row.get("aggregate_identifier"), row.get("sequence_number"), row.get("type"));
        }
    }

    @AfterEach
    void dropTheCopy() {
        owner.jdbc().execute("drop schema if exists engine_test cascade");
    }

    @Test
    void readsTheEventsAndTokensAxonsEngineReads() {
        assertThat(serviceEngine).isInstanceOf(ParsedTimestampJdbcEventStorageEngine.class);
        JdbcEventStorageEngine axons = builder().build();
        ParsedTimestampJdbcEventStorageEngine ours = new ParsedTimestampJdbcEventStorageEngine(builder(), GapSettings.AXON_DEFAULTS);

        // Now: the newest rows are recent, so the gaps before them may still fill.
        clock.set(storedAt);
        List<TrackedEventMessage<?>> now = read(axons, null);
        assertThat(now).hasSize(POSITIONS.length);
        assertThat(gapsOf(now.get(0))).as("the positions below the first event").hasSize(99).contains(1L, 99L);
        assertThat(gapsOf(now.get(3))).as("given up behind an old event").isEmpty();
        assertThat(gapsOf(now.get(now.size() - 1))).as("gaps that may still fill").containsExactly(106L, 107L, 108L, 110L, 111L, 112L, 113L, 114L, 115L, 116L);
        assertSameReadsFromEveryToken(axons, ours, now);

        // Two minutes on: every gap is older than the gap timeout, and both engines give them all up.
        clock.set(storedAt.plus(Duration.ofMinutes(2)));
        List<TrackedEventMessage<?>> later = read(axons, null);
        assertThat(later).allSatisfy(event -> assertThat(gapsOf(event)).isEmpty());
        assertSameReadsFromEveryToken(axons, ours, later);
        assertSameReadsFromEveryToken(axons, ours, now);
    }

    @Test
    void theGapTimeoutCannotBeChangedAfterTheEngineIsBuilt() {
        assertThatThrownBy(() -> ((JdbcEventStorageEngine) serviceEngine).setGapTimeout(1)).isInstanceOf(UnsupportedOperationException.class);
    }

    private JdbcEventStorageEngine.Builder builder() {
        return JdbcEventStorageEngine.builder().connectionProvider(connections).transactionManager(axonTransactions).schema(COPY)
                .dataType(byte[].class).snapshotSerializer(serializer).eventSerializer(eventSerializer).batchSize(500);
    }

    private static void assertSameReadsFromEveryToken(EventStorageEngine axons, EventStorageEngine ours, List<TrackedEventMessage<?>> read) {
        assertSameReads(axons, ours, null);
        for (TrackedEventMessage<?> from : read) {
            assertSameReads(axons, ours, from.trackingToken());
        }
    }

    private static void assertSameReads(EventStorageEngine axons, EventStorageEngine ours, TrackingToken from) {
        List<TrackedEventMessage<?>> expected = read(axons, from);
        List<TrackedEventMessage<?>> actual = read(ours, from);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            TrackedEventMessage<?> want = expected.get(i);
            TrackedEventMessage<?> got = actual.get(i);
            assertThat(got.trackingToken()).as("token of event %d from %s", i, from).isEqualTo(want.trackingToken());
            assertThat(got.getIdentifier()).isEqualTo(want.getIdentifier());
            assertThat(got.getTimestamp()).isEqualTo(want.getTimestamp());
            assertThat(got.getPayloadType()).isEqualTo(want.getPayloadType());
            assertThat(got.getPayload()).isEqualTo(want.getPayload());
            assertThat(got.getMetaData()).isEqualTo(want.getMetaData());
            assertThat(got).isInstanceOf(DomainEventMessage.class).isInstanceOf(want.getClass());
            DomainEventMessage<?> domainGot = (DomainEventMessage<?>) got;
            DomainEventMessage<?> domainWant = (DomainEventMessage<?>) want;
            assertThat(domainGot.getAggregateIdentifier()).isEqualTo(domainWant.getAggregateIdentifier());
            assertThat(domainGot.getSequenceNumber()).isEqualTo(domainWant.getSequenceNumber());
            assertThat(domainGot.getType()).isEqualTo(domainWant.getType());
        }
    }

    private static SortedSet<Long> gapsOf(TrackedEventMessage<?> event) {
        return ((GapAwareTrackingToken) event.trackingToken()).getGaps();
    }

    private static List<TrackedEventMessage<?>> read(EventStorageEngine source, TrackingToken from) {
        try (var events = source.readEvents(from, false)) {
            return events.<TrackedEventMessage<?>>map(event -> event).toList();
        }
    }
}
