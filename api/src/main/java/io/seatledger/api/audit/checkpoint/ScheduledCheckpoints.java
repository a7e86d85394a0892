package io.seatledger.api.audit.checkpoint;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.DisabledSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The periodic checkpoints, as a db-scheduler recurring task: one execution row in PostgreSQL, picked by one instance
 * when due, so the cluster checkpoints once per interval whatever the number of instances. Each run checkpoints the
 * organizations whose trail grew since their last checkpoint, the longest unchecked first, up to a bound; those left
 * over are due at the next run. A zero interval schedules nothing.
 */
public final class ScheduledCheckpoints {

    static final String TASK = "audit-checkpoints";
    private static final Logger log = LoggerFactory.getLogger(ScheduledCheckpoints.class);

    private ScheduledCheckpoints() {
    }

    static RecurringTask<Void> task(Duration interval, Runnable run) {
        Schedule schedule = interval.isZero() ? new DisabledSchedule() : FixedDelay.of(interval);
        return Tasks.recurring(TASK, schedule).execute((instance, context) -> {
            try {
                run.run();
            } catch (RuntimeException e) {
                log.error("The scheduled audit checkpoints failed ({}); the next run checkpoints what is left", e.getClass().getSimpleName(), e);
            }
        });
    }

    /** Checkpoints up to {@code limit} organizations whose trail grew; answers how many. */
    static int run(CheckpointSigner signer, int limit) {
        int made = 0;
        for (String orgId : signer.due(limit)) {
            signer.checkpoint(orgId);
            made++;
        }
        return made;
    }
}
