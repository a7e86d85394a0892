package io.seatledger.api.consistency;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The global position a command's answer carries ({@code Seat-Ledger-Position}), what a read waiting for the change
 * needs. With the JDBC store a command sent for a request notes it in its own transaction
 * ({@link #notingInTransaction}): just before it commits, while its aggregate is still locked, the newest event of
 * the aggregate (one probe of the (aggregate, sequence number) index) is the command's own last one, and the answer
 * needs no thread of its own to look it up. Otherwise ({@link #after}) it is the aggregate's newest event looked up
 * after the commit, at least the command's own last (a later command of the aggregate can only add higher ones); a
 * store without that table (Axon Server) answers with its head, which is later still.
 */
public class CommandPositions {

    private static final CommandTargetResolver TARGETS = AnnotationCommandTargetResolver.builder().build();

    private final Map<String, AtomicLong> noted = new ConcurrentHashMap<>();
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

    /** Asks for the position of the command's last event to be noted in its transaction (JDBC store only). */
    public void expect(CommandMessage<?> command) {
        if (jdbc != null) {
            noted.put(command.getIdentifier(), new AtomicLong(-1));
        }
    }

    /** The position noted for the command, which is forgotten; -1 if none was noted (then {@link #after} tells). */
    public long noted(CommandMessage<?> command) {
        AtomicLong position = noted.remove(command.getIdentifier());
        return position == null ? -1 : position.get();
    }

    /**
     * A command handler interceptor that notes the position of an {@link #expect expected} command's last event in
     * its transaction. Commit handlers run newest first, so this one runs after the events were appended and before
     * the transaction commits; the aggregate's lock is held until after the commit, so no other command's event can
     * be newer. The probe runs in the command's transaction: if it fails, so does the command (a failed statement
     * aborts the transaction, whose commit would then quietly roll the events back), and nothing is answered as stored.
     */
    public MessageHandlerInterceptor<CommandMessage<?>> notingInTransaction() {
        return (unitOfWork, chain) -> {
            AtomicLong position = noted.get(unitOfWork.getMessage().getIdentifier());
            if (position != null) {
                String aggregateId = TARGETS.resolveTarget(unitOfWork.getMessage()).getIdentifier();
                unitOfWork.onCommit(committing -> position.set(after(aggregateId)));
            }
            return chain.proceed();
        };
    }

    /** How many commands wait for their position to be noted (none once their answers are given). */
    int awaitingPositions() {
        return noted.size();
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
