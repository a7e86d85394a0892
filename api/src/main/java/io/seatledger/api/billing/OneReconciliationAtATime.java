package io.seatledger.api.billing;

import io.seatledger.billing.reconciliation.Reconciliation;
import io.seatledger.billing.reconciliation.ReconciliationReport;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.TryAgainLater;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs reconciliations one at a time across all instances, the scheduled one and those asked for: each holds a
 * PostgreSQL advisory lock while it runs, so that two never compare (and repair) the same pools at the same time.
 * The schedule waits for a running one; a request is refused at once (429) instead.
 */
public class OneReconciliationAtATime {

    /** The advisory lock held by the running reconciliation. */
    static final long LOCK = 0x5ea71ed9e7L;
    static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(30);

    private final Reconciliation reconciliation;
    private final JdbcTemplate jdbc;
    private final ReentrantLock onThisInstance = new ReentrantLock(true);

    public OneReconciliationAtATime(Reconciliation reconciliation, JdbcTemplate jdbc) {
        this.reconciliation = reconciliation;
        this.jdbc = jdbc;
    }

    /** Waits until no other reconciliation runs, then runs one (the schedule's way: it has a thread of its own). */
    public ReconciliationReport run(String requestedBy) {
        onThisInstance.lock();
        try {
            return jdbc.execute((ConnectionCallback<ReconciliationReport>) connection -> {
                // waiting for the lock may take as long as a reconciliation: no statement timeout for this wait
                // (pg_advisory_lock returns nothing to read, unlike the two calls lock() makes)
                execute(connection, "select set_config('statement_timeout', '0', false)");
                try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(?)")) {
                    lock.setLong(1, LOCK);
                    lock.execute();
                } finally {
                    execute(connection, "reset statement_timeout");
                }
                return runHolding(connection, requestedBy);
            });
        } finally {
            onThisInstance.unlock();
        }
    }

    /**
     * Runs one now unless a reconciliation is running on any instance, then refuses with 429 and a delay: a request
     * thread never parks waiting for another reconciliation.
     */
    public ReconciliationReport runIfIdle(String requestedBy) {
        if (!onThisInstance.tryLock()) {
            throw busy();
        }
        try {
            return jdbc.execute((ConnectionCallback<ReconciliationReport>) connection -> {
                if (!lock(connection, "select pg_try_advisory_lock(?)")) {
                    throw busy();
                }
                return runHolding(connection, requestedBy);
            });
        } finally {
            onThisInstance.unlock();
        }
    }

    private ReconciliationReport runHolding(Connection connection, String requestedBy) throws SQLException {
        try {
            return reconciliation.run(requestedBy);
        } finally {
            lock(connection, "select pg_advisory_unlock(?)");
        }
    }

    private static boolean lock(Connection connection, String sql) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(sql)) {
            lock.setLong(1, LOCK);
            try (ResultSet answer = lock.executeQuery()) {
                return answer.next() && answer.getBoolean(1);
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static TryAgainLater busy() {
        return new TryAgainLater(ErrorCode.RATE_LIMITED, "a reconciliation is running; ask again when it has finished", BUSY_RETRY_AFTER);
    }
}
