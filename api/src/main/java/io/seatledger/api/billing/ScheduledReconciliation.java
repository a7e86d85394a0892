package io.seatledger.api.billing;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.DisabledSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * The reconciliation every {@code interval}, as a db-scheduler recurring task: the task has one execution row in
 * PostgreSQL, which one instance picks when it is due and moves one interval past the run's end, so the cluster
 * runs it once per interval whatever the number of instances. A zero interval schedules nothing (and removes the
 * row an earlier setting left).
 */
public final class ScheduledReconciliation {

    static final String TASK = "billing-reconciliation";
    static final String REQUESTED_BY = "schedule";
    private static final Logger log = LoggerFactory.getLogger(ScheduledReconciliation.class);

    private ScheduledReconciliation() {
    }

    public static RecurringTask<Void> task(Duration interval, Runnable reconcile) {
        Schedule schedule = interval.isZero() ? new DisabledSchedule() : new FirstAfterOneInterval(FixedDelay.of(interval), interval);
        return Tasks.recurring(TASK, schedule).execute((instance, context) -> {
            try {
                reconcile.run();
            } catch (RuntimeException e) {
                log.error("The scheduled reconciliation failed ({}); the next one runs as planned", e.getClass().getSimpleName());
            }
        });
    }

    /** One interval after the last run ended; the first one interval after the task is first scheduled, not at once. */
    private record FirstAfterOneInterval(FixedDelay delay, Duration interval) implements Schedule {

        @Override
        public Instant getNextExecutionTime(ExecutionComplete executionComplete) {
            return delay.getNextExecutionTime(executionComplete);
        }

        @Override
        public Instant getInitialExecutionTime(Instant now) {
            return now.plus(interval);
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }
}
