package io.seatledger.api.billing;

import io.seatledger.api.support.IntegrationTest;
import io.seatledger.billing.reconciliation.Reconciliation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The scheduled reconciliation: one instance at a time (the advisory lock), every interval, and nothing once stopped. */
class ScheduledReconciliationTest extends IntegrationTest {

    @Autowired ScheduledReconciliation scheduled;
    @Autowired Reconciliation reconciliation;
    @Autowired JdbcTemplate jdbc;
    @Autowired DataSource dataSource;

    @Test
    void anInstanceSkipsItsTurnWhileAnotherRunsIt() throws Exception {
        long before = scheduledRuns();
        try (Connection otherInstance = dataSource.getConnection()) {
            assertThat(advisoryLock(otherInstance, "pg_try_advisory_lock")).as("the other instance holds the lock").isTrue();
            assertThat(scheduled.runUnlessAnotherInstanceIs()).isFalse();
            assertThat(scheduledRuns()).isEqualTo(before);
            assertThat(advisoryLock(otherInstance, "pg_advisory_unlock")).isTrue();
        }
        assertThat(scheduled.runUnlessAnotherInstanceIs()).isTrue();
        assertThat(scheduledRuns()).isEqualTo(before + 1);
        assertThat(scheduled.runUnlessAnotherInstanceIs()).as("the lock was released after the run").isTrue();
    }

    @Test
    void runsEveryIntervalUntilStopped() throws Exception {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.initialize();
        ScheduledReconciliation everyHalfSecond = new ScheduledReconciliation(reconciliation, jdbc);
        try {
            long before = scheduledRuns();
            everyHalfSecond.start(scheduler, Duration.ofMillis(500));
            await().atMost(Duration.ofSeconds(60)).until(() -> scheduledRuns() >= before + 2);
            everyHalfSecond.stop();
            long stopped = scheduledRuns();
            Thread.sleep(1_500);
            // At most the run that was under way when stopped completes.
            assertThat(scheduledRuns()).isBetween(stopped, stopped + 1);
        } finally {
            everyHalfSecond.stop();
            scheduler.shutdown();
        }
    }

    @Test
    void aZeroIntervalSchedulesNothing() throws Exception {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.initialize();
        try {
            long before = scheduledRuns();
            new ScheduledReconciliation(reconciliation, jdbc).start(scheduler, Duration.ZERO);
            Thread.sleep(1_000);
            assertThat(scheduler.getScheduledThreadPoolExecutor().getQueue()).isEmpty();
            assertThat(scheduledRuns()).isEqualTo(before);
        } finally {
            scheduler.shutdown();
        }
    }

    private long scheduledRuns() {
        return jdbc.queryForObject("select count(*) from billing.reconciliations where requested_by = ?", Long.class, ScheduledReconciliation.REQUESTED_BY);
    }

    private static boolean advisoryLock(Connection connection, String function) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("select " + function + "(?)")) {
            statement.setLong(1, ScheduledReconciliation.LOCK);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
