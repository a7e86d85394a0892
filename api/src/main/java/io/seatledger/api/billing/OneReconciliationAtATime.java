package io.seatledger.api.billing;

import io.seatledger.billing.reconciliation.Reconciliation;
import io.seatledger.billing.reconciliation.ReconciliationReport;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs reconciliations one at a time across all instances, the scheduled one and those asked for: each holds a
 * PostgreSQL advisory lock while it runs, and a later one waits for it rather than comparing (and repairing) the
 * same pools at the same time. Callers on this instance queue in memory first, so a queue of requests holds one
 * database connection, not one each.
 */
public class OneReconciliationAtATime {

    /** The advisory lock held by the running reconciliation. */
    static final long LOCK = 0x5ea71ed9e7L;

    private final Reconciliation reconciliation;
    private final JdbcTemplate jdbc;
    private final ReentrantLock onThisInstance = new ReentrantLock(true);

    public OneReconciliationAtATime(Reconciliation reconciliation, JdbcTemplate jdbc) {
        this.reconciliation = reconciliation;
        this.jdbc = jdbc;
    }

    /** Waits until no other reconciliation runs, then runs one. */
    public ReconciliationReport run(String requestedBy) {
        onThisInstance.lock();
        try {
            return jdbc.execute((ConnectionCallback<ReconciliationReport>) connection -> {
                try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_lock(?)")) {
                    lock.setLong(1, LOCK);
                    lock.execute();
                }
                try {
                    return reconciliation.run(requestedBy);
                } finally {
                    try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                        unlock.setLong(1, LOCK);
                        unlock.execute();
                    }
                }
            });
        } finally {
            onThisInstance.unlock();
        }
    }
}
