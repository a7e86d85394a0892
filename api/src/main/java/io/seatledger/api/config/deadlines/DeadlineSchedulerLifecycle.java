package io.seatledger.api.config.deadlines;

import com.github.kagkarlsson.scheduler.Scheduler;
import io.seatledger.api.axon.StartedAfterAxon;
import org.springframework.stereotype.Component;

/**
 * Runs the deadline scheduler. Axon's db-scheduler support leaves starting it to db-scheduler's Spring Boot
 * starter, which does not exist for Spring Boot 4: it starts after Axon (handlers are registered) and
 * stops before Axon (no deadline fires into a stopping application).
 */
@Component
class DeadlineSchedulerLifecycle extends StartedAfterAxon {

    DeadlineSchedulerLifecycle(Scheduler scheduler) {
        super(scheduler::start, scheduler::stop);
    }
}
