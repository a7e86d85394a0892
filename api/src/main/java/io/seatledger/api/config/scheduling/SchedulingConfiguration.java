package io.seatledger.api.config.scheduling;

import io.seatledger.api.config.projections.DeadLetterConfiguration.DeadLetterRetry;
import io.seatledger.api.erasure.PendingErasures;
import io.seatledger.api.http.Idempotency;
import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.projections.counters.RedisCounterRebuild;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

import java.time.Duration;

/**
 * Background checks run on their own threads, each at the interval its setting gives: the Redis completeness check,
 * dead-letter retries, the idempotency-key cleanup and unfinished erasures. Without this scheduler Spring would
 * pick the only other scheduled executor, the command retries', and a slow check would hold up retried commands.
 * Checks at fixed intervals stay {@code @Scheduled} where they are.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfiguration {

    /** Pending erasures are first looked at a minute after the start, when the read models have caught up. */
    private static final Duration FIRST_PENDING_ERASURE_CHECK = Duration.ofMinutes(1);

    @Bean
    public ThreadPoolTaskScheduler taskScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("scheduled-");
        scheduler.setWaitForTasksToCompleteOnShutdown(false);
        return scheduler;
    }

    @Bean
    public SchedulingConfigurer configuredIntervals(SeatLedgerProperties settings, RedisCounterRebuild counters, DeadLetterRetry deadLetters,
                                                    Idempotency idempotency, PendingErasures erasures) {
        return tasks -> {
            fixedDelay(tasks, counters::rebuildIfIncomplete, settings.redis().completenessCheckInterval(), Duration.ZERO);
            fixedDelay(tasks, deadLetters::retry, settings.projections().deadLetterRetryInterval(), Duration.ZERO);
            fixedDelay(tasks, idempotency::forgetExpiredKeys, settings.http().idempotencyCleanupInterval(), Duration.ZERO);
            fixedDelay(tasks, erasures::finish, settings.erasure().pendingCheckInterval(), FIRST_PENDING_ERASURE_CHECK);
        };
    }

    private static void fixedDelay(ScheduledTaskRegistrar tasks, Runnable task, Duration interval, Duration initialDelay) {
        tasks.addFixedDelayTask(new FixedDelayTask(task, interval, initialDelay));
    }
}
