package io.seatledger.api.config.eventstore;

import io.seatledger.api.axon.ParsedTimestampJdbcEventStorageEngine;
import io.seatledger.api.support.Commands;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's engine reads the same events with the same tracking tokens as Axon's own engine, on the same rows:
 * from the start, from tokens in the middle, across a gap in the global index that may still fill, and after the gap
 * is old enough to be given up.
 */
class ParsedTimestampEngineTest extends IntegrationTest {

    @Autowired EventStorageEngine engine;
    @Autowired ConnectionProvider connections;
    @Autowired TransactionManager transactions;
    @Autowired Serializer serializer;
    @Autowired @Qualifier("eventSerializer") Serializer eventSerializer;
    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;

    @Test
    void readsTheEventsAndTokensAxonsEngineReads() {
        assertThat(engine).isInstanceOf(ParsedTimestampJdbcEventStorageEngine.class);
        JdbcEventStorageEngine axons = JdbcEventStorageEngine.builder().connectionProvider(connections).transactionManager(transactions)
                .schema(EventStoreConfiguration.EVENT_SCHEMA).dataType(byte[].class).snapshotSerializer(serializer)
                .eventSerializer(eventSerializer).batchSize(500).build();

        long before = jdbc.queryForObject("select coalesce(max(global_index), 0) from events.domain_event_entry", Long.class);
        Commands commands = new Commands(gateway);
        for (int i = 0; i < 6; i++) {
            String orgId = "org-" + UUID.randomUUID();
            commands.send(new CreateOrganization(orgId, "Acme " + i, new BillingManager("manager-1", "b" + i + "@acme.example")), Commands.actor("manager-1", orgId));
            if (i % 2 == 0) {
                // A position taken and never stored: a gap in the global index, as a rolled-back transaction leaves.
                jdbc.queryForObject("select nextval(pg_get_serial_sequence('events.domain_event_entry', 'global_index'))", Long.class);
            }
        }
        TrackingToken start = GapAwareTrackingToken.newInstance(before, Collections.emptySortedSet());

        assertSameReads(axons, null, 20);
        List<TrackedEventMessage<?>> recent = read(axons, start, 100);
        assertThat(recent).hasSizeGreaterThanOrEqualTo(6);
        assertThat(((GapAwareTrackingToken) recent.get(recent.size() - 1).trackingToken()).getGaps()).isNotEmpty();
        for (TrackedEventMessage<?> from : recent) {
            assertSameReads(axons, from.trackingToken(), 100);
        }
        assertSameReads(axons, start, 100);

        // Two minutes on, the gaps are older than the gap timeout: both engines stop waiting for them.
        clock.shift(Duration.ofMinutes(2));
        List<TrackedEventMessage<?>> later = read(axons, start, 100);
        assertThat(((GapAwareTrackingToken) later.get(later.size() - 1).trackingToken()).getGaps()).isEmpty();
        assertSameReads(axons, null, 20);
        assertSameReads(axons, start, 100);
        for (TrackedEventMessage<?> from : recent) {
            assertSameReads(axons, from.trackingToken(), 100);
        }
    }

    private void assertSameReads(JdbcEventStorageEngine axons, TrackingToken from, int limit) {
        List<TrackedEventMessage<?>> expected = read(axons, from, limit);
        List<TrackedEventMessage<?>> actual = read(engine, from, limit);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).trackingToken()).as("token of event %d from %s", i, from).isEqualTo(expected.get(i).trackingToken());
            assertThat(actual.get(i).getIdentifier()).isEqualTo(expected.get(i).getIdentifier());
            assertThat(actual.get(i).getTimestamp()).isEqualTo(expected.get(i).getTimestamp());
            assertThat(actual.get(i).getPayload()).isEqualTo(expected.get(i).getPayload());
        }
    }

    private static List<TrackedEventMessage<?>> read(EventStorageEngine source, TrackingToken from, int limit) {
        try (var events = source.readEvents(from, false)) {
            return events.limit(limit).<TrackedEventMessage<?>>map(event -> event).toList();
        }
    }
}
