package io.seatledger.projections;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * A projection's writes, sent to PostgreSQL in JDBC batches when its processor's transaction is about to
 * commit: consecutive statements with the same SQL go in one batch, and batches run in the order the
 * events came, so every statement sees the ones before it. A rebuild applying a thousand seat assignments
 * thus makes one round trip instead of a thousand. While {@link FailureIsolation} is active, or outside a
 * unit of work, each write runs at once.
 */
public final class BatchedWrites {

    private final JdbcTemplate jdbc;
    private final FailureIsolation isolation;
    private final String resourceKey = "batched-writes-" + System.identityHashCode(this);

    /** {@code isolation} may be null: never isolate (a rebuild fails as a whole). */
    public BatchedWrites(JdbcTemplate jdbc, FailureIsolation isolation) {
        this.jdbc = jdbc;
        this.isolation = isolation;
    }

    public void write(String sql, Object... arguments) {
        if (!CurrentUnitOfWork.isStarted() || (isolation != null && isolation.active())) {
            jdbc.update(sql, arguments);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Pending pending = batch.getOrComputeResource(resourceKey, key -> {
            Pending created = new Pending();
            batch.onPrepareCommit(committing -> created.flush());
            return created;
        });
        pending.add(sql, arguments);
    }

    private final class Pending {
        private final List<String> statements = new ArrayList<>();
        private final List<List<Object[]>> arguments = new ArrayList<>();

        void add(String sql, Object[] values) {
            int last = statements.size() - 1;
            if (last >= 0 && statements.get(last).equals(sql)) {
                arguments.get(last).add(values);
            } else {
                statements.add(sql);
                List<Object[]> group = new ArrayList<>();
                group.add(values);
                arguments.add(group);
            }
        }

        void flush() {
            try {
                for (int i = 0; i < statements.size(); i++) {
                    jdbc.batchUpdate(statements.get(i), arguments.get(i));
                }
            } catch (RuntimeException failure) {
                if (isolation != null) {
                    isolation.failed();
                }
                throw failure;
            } finally {
                statements.clear();
                arguments.clear();
            }
        }
    }
}
