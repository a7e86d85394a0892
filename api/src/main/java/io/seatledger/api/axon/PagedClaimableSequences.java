package io.seatledger.api.axon;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.DefaultDeadLetterStatementFactory;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Axon 4.13.0 pages claimable sequences by {@code sequence_index >= offset}, which skips sequences on
 * every page after the first (#4544, fixed by #4573 in a later 4.13 patch the registry does not have):
 * this pages the ordered sequence heads by OFFSET, as the JPA queue does. Remove with the upgrade.
 */
public final class PagedClaimableSequences extends DefaultDeadLetterStatementFactory<EventMessage<?>> {

    private final DeadLetterSchema schema;

    public PagedClaimableSequences(DeadLetterSchema schema, Serializer serializer, Serializer eventSerializer) {
        super(DefaultDeadLetterStatementFactory.<EventMessage<?>>builder()
                .schema(schema).genericSerializer(serializer).eventSerializer(eventSerializer));
        this.schema = schema;
    }

    @Override
    public PreparedStatement claimableSequencesStatement(Connection connection, String processingGroup, Instant processingStartedLimit,
                                                         int offset, int maxSize) throws SQLException {
        String sql = "SELECT * FROM " + schema.deadLetterTable() + " dl"
                + " WHERE dl." + schema.processingGroupColumn() + " = ?"
                + " AND dl." + schema.sequenceIndexColumn() + " = (SELECT MIN(dl2." + schema.sequenceIndexColumn() + ") FROM "
                + schema.deadLetterTable() + " dl2 WHERE dl2." + schema.processingGroupColumn() + " = dl." + schema.processingGroupColumn()
                + " AND dl2." + schema.sequenceIdentifierColumn() + " = dl." + schema.sequenceIdentifierColumn() + ")"
                + " AND (dl." + schema.processingStartedColumn() + " IS NULL OR dl." + schema.processingStartedColumn() + " < ?)"
                + " ORDER BY dl." + schema.lastTouchedColumn() + " ASC, dl." + schema.sequenceIdentifierColumn() + " ASC"
                + " LIMIT ? OFFSET ?";
        PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setString(1, processingGroup);
        statement.setString(2, DateTimeUtils.formatInstant(processingStartedLimit));
        statement.setInt(3, maxSize);
        statement.setInt(4, offset);
        return statement;
    }
}
