package io.seatledger.projections;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A projection's writes, sent to PostgreSQL when its processor's transaction is about to commit:
 * consecutive writes of the same statement go together, and groups run in the order the events came, so
 * every statement sees the ones before it. A plain statement's group is one JDBC batch; a {@link Rows}
 * statement's group is one execution over all its rows (each parameter an array, one element a row), so a
 * thousand seat assignments make one statement, not a thousand; a {@link Batch} gets its whole group at once (the
 * audit trail looks up its chains' heads once for all). While {@link FailureIsolation} is active for the
 * projection's processor, or outside a unit of work, each write runs at once.
 */
public final class BatchedWrites {

    /** Rows per execution of a {@link Rows} statement. */
    private static final int ROWS_PER_EXECUTION = 5_000;

    private final JdbcTemplate jdbc;
    private final FailureIsolation isolation;
    private final String processor;
    private final String resourceKey = "batched-writes-" + System.identityHashCode(this);

    /**
     * A statement over many rows at once: its parameters are {@code columns} text arrays, the n-th element
     * of each being the n-th row's value ({@code unnest(?::text[], ?::bigint[], ...)}; values are sent as
     * text, instants in ISO-8601, so the statement casts each array to its column's type).
     */
    public record Rows(String sql, int columns) {
    }

    /**
     * A write that needs all rows of its run at once, given them when the batch commits (or one at a time while
     * isolating): e.g. one lookup for every row instead of one per row.
     */
    public interface Batch<T> {
        void write(List<T> rows);
    }

    /** The writes of a projection of {@code processor}; {@code isolation} may be null: never isolate (a rebuild fails as a whole). */
    public BatchedWrites(JdbcTemplate jdbc, FailureIsolation isolation, String processor) {
        this.jdbc = jdbc;
        this.isolation = isolation;
        this.processor = processor;
    }

    public void write(String sql, Object... arguments) {
        Pending pending = pending();
        if (pending == null) {
            jdbc.update(sql, arguments);
        } else {
            pending.add(sql, arguments);
        }
    }

    public void writeRow(Rows statement, Object... row) {
        if (row.length != statement.columns()) {
            throw new IllegalArgumentException("a row of " + statement.columns() + " values expected, got " + row.length);
        }
        Pending pending = pending();
        if (pending == null) {
            execute(statement, List.<Object[]>of(row));
        } else {
            pending.add(statement, row);
        }
    }

    public <T> void writeBatched(Batch<T> batch, T row) {
        Pending pending = pending();
        if (pending == null) {
            batch.write(List.of(row));
        } else {
            pending.add(batch, new Object[]{row});
        }
    }

    /** The current batch's writes, or null when they are to run at once. */
    private Pending pending() {
        if (!CurrentUnitOfWork.isStarted() || (isolation != null && isolation.active(processor))) {
            return null;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(resourceKey, key -> {
            Pending created = new Pending();
            batch.onPrepareCommit(committing -> created.flush());
            return created;
        });
    }

    /** Runs {@code statement} over {@code rows} now, in executions of at most {@value #ROWS_PER_EXECUTION} rows. */
    public void execute(Rows statement, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_EXECUTION) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_EXECUTION));
            jdbc.update((Connection connection) -> {
                PreparedStatement prepared = connection.prepareStatement(statement.sql());
                for (int column = 0; column < statement.columns(); column++) {
                    prepared.setArray(column + 1, connection.createArrayOf("text", column(chunk, column)));
                }
                return prepared;
            });
        }
    }

    private static String[] column(List<Object[]> rows, int column) throws SQLException {
        String[] values = new String[rows.size()];
        for (int row = 0; row < values.length; row++) {
            values[row] = text(rows.get(row)[column]);
        }
        return values;
    }

    private static String text(Object value) throws SQLException {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Number || value instanceof Instant) {
            return value.toString();
        }
        throw new SQLException("no text form for a " + value.getClass().getSimpleName());
    }

    @SuppressWarnings("unchecked")
    private static <T> void write(Batch<T> batch, List<Object[]> rows) {
        List<T> values = new ArrayList<>(rows.size());
        rows.forEach(row -> values.add((T) row[0]));
        batch.write(values);
    }

    private final class Pending {
        /** Each group's statement: a plain statement's SQL, a {@link Rows} or a {@link Batch}. */
        private final List<Object> statements = new ArrayList<>();
        private final List<List<Object[]>> arguments = new ArrayList<>();

        void add(Object statement, Object[] values) {
            int last = statements.size() - 1;
            if (last >= 0 && statements.get(last).equals(statement)) {
                arguments.get(last).add(values);
            } else {
                statements.add(statement);
                List<Object[]> group = new ArrayList<>();
                group.add(values);
                arguments.add(group);
            }
        }

        void flush() {
            try {
                for (int i = 0; i < statements.size(); i++) {
                    if (statements.get(i) instanceof Rows rows) {
                        execute(rows, arguments.get(i));
                    } else if (statements.get(i) instanceof Batch<?> batch) {
                        write(batch, arguments.get(i));
                    } else {
                        jdbc.batchUpdate((String) statements.get(i), arguments.get(i));
                    }
                }
            } catch (RuntimeException failure) {
                if (isolation != null) {
                    isolation.failed(processor);
                }
                throw failure;
            } finally {
                statements.clear();
                arguments.clear();
            }
        }
    }
}
