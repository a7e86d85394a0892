package io.seatledger.api.billing;

import io.seatledger.billing.reconciliation.Reconciliation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * The reconciliation every {@code interval}: every instance schedules it, the one that holds a PostgreSQL
 * advisory lock at that moment runs it, the others skip that turn.
 */
public class ScheduledReconciliation {

    /** The advisory lock that lets one instance at a time run the scheduled reconciliation. */
    static final long LOCK = 0x5ea71ed9e7L;
    static final String REQUESTED_BY = "schedule";
    private static final Logger log = LoggerFactory.getLogger(ScheduledReconciliation.class);

    private final Reconciliation reconciliation;
    private final JdbcTemplate jdbc;
    private volatile ScheduledFuture<?> schedule;

    public ScheduledReconciliation(Reconciliation reconciliation, JdbcTemplate jdbc) {
        this.reconciliation = reconciliation;
        this.jdbc = jdbc;
    }

    /** Runs every {@code interval}, the first time one interval from now; a zero interval schedules nothing. */
    public void start(TaskScheduler scheduler, Duration interval) {
        if (!interval.isZero()) {
            schedule = scheduler.scheduleWithFixedDelay(this::runUnlessAnotherInstanceIs, Instant.now().plus(interval), interval);
        }
    }

    public void stop() {
        ScheduledFuture<?> running = schedule;
        if (running != null) {
            running.cancel(false);
        }
    }

    /** Runs the reconciliation if no other instance is running it; true if it ran. */
    public boolean runUnlessAnotherInstanceIs() {
        try {
            return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection -> {
                boolean locked;
                try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                    lock.setLong(1, LOCK);
                    try (ResultSet result = lock.executeQuery()) {
                        locked = result.next() && result.getBoolean(1);
                    }
                }
                if (!locked) {
                    return false;
                }
                try {
                    reconciliation.run(REQUESTED_BY);
                    return true;
                } finally {
                    try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                        unlock.setLong(1, LOCK);
                        unlock.execute();
                    }
                }
            }));
        } catch (RuntimeException e) {
            log.error("The scheduled reconciliation failed ({}); the next one runs as planned", e.getClass().getSimpleName());
            return false;
        }
    }
}
