package io.seatledger.api.config.deadlines;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

/** Durable deadlines and the cluster's recurring tasks, in PostgreSQL (db-scheduler), started after Axon ({@link DeadlineSchedulerLifecycle}). */
@Configuration(proxyBeanMethods = false)
public class DeadlineConfiguration {

    /**
     * Durable deadlines (invitation expiry, period end, grace end) in PostgreSQL. The data source joins
     * the Spring transaction, so a deadline is stored exactly when the events that scheduled it are.
     * Recurring tasks (the scheduled reconciliation, the audit checkpoints) run here too, once per cluster; a thread each more than the
     * deadlines need, so a long reconciliation does not hold them up.
     */
    @Bean
    @DependsOnDatabaseInitialization
    public Scheduler deadlineScheduler(DataSource dataSource, List<Task<?>> tasks, List<RecurringTask<?>> recurring) {
        // a start task is known to the scheduler through startTasks; listed among the tasks too it would be a duplicate
        List<Task<?>> others = tasks.stream().filter(task -> !(task instanceof RecurringTask<?>)).toList();
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), others)
                .startTasks(recurring)
                .tableName("axon.scheduled_tasks")
                .threads(4)
                .pollingInterval(Duration.ofSeconds(1))
                .build();
    }
}
