package io.seatledger.api.axon;

import io.seatledger.auditformat.UtcTimestamps;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Axon's JDBC engine, with each stored event's timestamp parsed once, by {@link UtcTimestamps}, when its row is read.
 * Axon's entry keeps the timestamp as text and parses it with a {@code DateTimeFormatter} on every
 * {@code getTimestamp()}: twice per event for each of the six processors (the gap check below, then the message), an
 * eighth of all the memory the service allocated during a bulk import.
 * <p>
 * The tracking token is advanced exactly as Axon 4.13's own {@code getTrackedEventData} does it, from the same
 * settings, which is why they are handed to this class as well as to the builder; {@code ParsedTimestampEngineTest}
 * reads the same rows with both engines and compares the tokens. Events are stored as bytes ({@code bytea}).
 */
public final class ParsedTimestampJdbcEventStorageEngine extends JdbcEventStorageEngine {

    private final GapSettings gaps;

    public ParsedTimestampJdbcEventStorageEngine(Builder builder, GapSettings gaps) {
        super(builder.dataType(byte[].class)
                .lowestGlobalSequence(gaps.lowestGlobalSequence()).maxGapOffset(gaps.maxGapOffset()).gapTimeout(gaps.gapTimeoutMillis()));
        this.gaps = gaps;
    }

    /** The gap timeout is fixed when the engine is built: Axon's field and this class's copy must not differ. */
    @Override
    @Deprecated
    public void setGapTimeout(int gapTimeout) {
        throw new UnsupportedOperationException("the gap timeout is set once, through GapSettings");
    }

    /** How gaps in the global index are tracked: Axon's defaults unless a test needs others. */
    public record GapSettings(long lowestGlobalSequence, int maxGapOffset, int gapTimeoutMillis) {
        public static final GapSettings AXON_DEFAULTS = new GapSettings(1, 10_000, 60_000);
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet row, GapAwareTrackingToken previousToken) throws SQLException {
        EventSchema schema = schema();
        long globalIndex = row.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = row.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = row.getString(schema.eventIdentifierColumn());
        String storedAt = row.getString(schema.timestampColumn());
        StoredEvent event = StoredEvent.of(row.getString(schema.typeColumn()),
                eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                row.getLong(schema.sequenceNumberColumn()), eventIdentifier, storedAt,
                row.getString(schema.payloadTypeColumn()), row.getString(schema.payloadRevisionColumn()),
                readPayload(row, schema.payloadColumn()), readPayload(row, schema.metaDataColumn()));

        boolean gapsMayStillFill = event.getTimestamp().isAfter(GenericEventMessage.clock.instant().minusMillis(gaps.gapTimeoutMillis()));
        GapAwareTrackingToken token;
        if (previousToken == null) {
            token = GapAwareTrackingToken.newInstance(globalIndex, gapsMayStillFill
                    ? LongStream.range(Math.min(gaps.lowestGlobalSequence(), globalIndex), globalIndex).boxed().collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = previousToken.advanceTo(globalIndex, gapsMayStillFill ? gaps.maxGapOffset() : 0);
        }
        return new TrackedDomainEventData<>(token, event);
    }

    /** A stored event whose timestamp is parsed once, when it is read; the rest as Axon's own entry keeps it. */
    private record StoredEvent(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier, Instant timestamp,
                               String payloadType, String payloadRevision, byte[] payload, byte[] metaData) implements DomainEventData<byte[]> {

        static StoredEvent of(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier, String storedAt,
                              String payloadType, String payloadRevision, byte[] payload, byte[] metaData) {
            Instant parsed = UtcTimestamps.parseOrNull(storedAt);
            return new StoredEvent(type, aggregateIdentifier, sequenceNumber, eventIdentifier,
                    parsed != null ? parsed : DateTimeUtils.parseInstant(storedAt), payloadType, payloadRevision, payload, metaData);
        }

        @Override
        public String getType() {
            return type;
        }

        @Override
        public String getAggregateIdentifier() {
            return aggregateIdentifier;
        }

        @Override
        public long getSequenceNumber() {
            return sequenceNumber;
        }

        @Override
        public String getEventIdentifier() {
            return eventIdentifier;
        }

        @Override
        public Instant getTimestamp() {
            return timestamp;
        }

        @Override
        public SerializedObject<byte[]> getMetaData() {
            return new SerializedMetaData<>(metaData, byte[].class);
        }

        @Override
        public SerializedObject<byte[]> getPayload() {
            return new SimpleSerializedObject<>(payload, byte[].class, new SimpleSerializedType(payloadType, payloadRevision));
        }
    }
}
