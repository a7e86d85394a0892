package io.seatledger.api.consistency;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The global position a command's answer carries ({@code Seat-Ledger-Position}): that of the newest stored event of
 * the aggregate the command went to, looked up once the command has committed. It is at least the position of the
 * command's own last event (a later command of the same aggregate can only add higher ones), which is what a read
 * waiting for the change needs. The JDBC store answers with one probe of its (aggregate, sequence number) index;
 * a store without that table (Axon Server) with its head, which is later still.
 */
public class CommandPositions {

    private final StreamableMessageSource<TrackedEventMessage<?>> events;
    private final JdbcTemplate jdbc;
    private final String lastOfAggregate;

    private CommandPositions(StreamableMessageSource<TrackedEventMessage<?>> events, JdbcTemplate jdbc, String lastOfAggregate) {
        this.events = events;
        this.jdbc = jdbc;
        this.lastOfAggregate = lastOfAggregate;
    }

    /** Positions looked up in the JDBC event store's table ({@code schema}: its table and column names). */
    public static CommandPositions inTable(StreamableMessageSource<TrackedEventMessage<?>> events, JdbcTemplate jdbc, EventSchema schema) {
        return new CommandPositions(events, jdbc, "select %s from %s where %s = ? order by %s desc limit 1".formatted(
                schema.globalIndexColumn(), schema.domainEventTable(), schema.aggregateIdentifierColumn(), schema.sequenceNumberColumn()));
    }

    /** With a store that is not the JDBC table (Axon Server): the head once the command is stored. */
    public static CommandPositions atHead(StreamableMessageSource<TrackedEventMessage<?>> events) {
        return new CommandPositions(events, null, null);
    }

    /** The position after which every event of {@code aggregateId} that is stored now lies at or below (blocking). */
    public long after(String aggregateId) {
        if (jdbc != null) {
            Long last = jdbc.query(lastOfAggregate, rows -> rows.next() ? rows.getLong(1) : null, aggregateId);
            if (last != null) {
                return last;
            }
        }
        return head();
    }

    /** The position of the newest stored event, -1 when there is none. */
    public long head() {
        TrackingToken head = events.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }
}
