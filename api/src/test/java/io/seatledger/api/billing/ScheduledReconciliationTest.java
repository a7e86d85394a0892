package io.seatledger.api.billing;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.billing.reconciliation.ReconciliationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.TryAgainLater;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import io.seatledger.api.support.DatabaseOwner;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The scheduled reconciliation: once per interval across all instances (db-scheduler instances sharing one table in
 * PostgreSQL), nothing with a zero interval, and never at the same time as another reconciliation, scheduled or asked for.
 */
class ScheduledReconciliationTest extends IntegrationTest {

    /** A table of its own, so the application's scheduler (which knows the task, disabled here) leaves these executions alone. */
    private static final String TABLE = "reconciliation_schedule_test.scheduled_tasks";

    @Autowired OneReconciliationAtATime reconciliations;
    @Autowired JdbcTemplate jdbc;
    @Autowired DataSource dataSource;
    @Autowired DatabaseOwner owner;

    private final List<Scheduler> schedulers = new ArrayList<>();

    @BeforeEach
    void emptySchedule() {
        // the schedulers below connect as the service does (the runtime role), which may create nothing
        owner.jdbc().execute("create schema if not exists reconciliation_schedule_test");
        owner.jdbc().execute("drop table if exists " + TABLE);
        owner.jdbc().execute("create table " + TABLE + " (like axon.scheduled_tasks including all)");
        owner.jdbc().execute("grant usage on schema reconciliation_schedule_test to seatledger_runtime");
        owner.jdbc().execute("grant select, insert, update, delete on " + TABLE + " to seatledger_runtime");
    }

    @AfterEach
    void stopSchedulers() {
        schedulers.forEach(Scheduler::stop);
    }

    record Run(String instance, Instant started, Instant ended) {
    }

    @Test
    void twoInstancesRunItOncePerIntervalNotOnceEach() {
        Duration interval = Duration.ofMillis(600);
        List<Run> runs = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Instant scheduledAt = Instant.now();
        for (String instance : List.of("instance-a", "instance-b")) {
            RecurringTask<Void> task = ScheduledReconciliation.task(interval, () -> {
                Instant started = Instant.now();
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                pause(100);
                running.decrementAndGet();
                runs.add(new Run(instance, started, Instant.now()));
            });
            start(instance, task);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() >= 5);
        schedulers.forEach(Scheduler::stop);

        List<Run> seen = List.copyOf(runs);
        assertThat(mostAtOnce.get()).as("never two runs at once").isEqualTo(1);
        assertThat(seen.get(0).started()).as("the first run one interval after scheduling").isAfterOrEqualTo(scheduledAt.plus(interval));
        for (int i = 1; i < seen.size(); i++) {
            assertThat(Duration.between(seen.get(i - 1).ended(), seen.get(i).started()))
                    .as("run %d starts one interval after the one before it ended, whichever instance ran either", i)
                    .isGreaterThanOrEqualTo(interval.minusMillis(5));
        }
        assertThat(jdbc.queryForObject("select count(*) from " + TABLE + " where task_name = ?", Integer.class, ScheduledReconciliation.TASK))
                .as("one execution for the cluster").isEqualTo(1);
    }

    @Test
    void aZeroIntervalSchedulesNothingAndRemovesAnEarlierSchedule() {
        AtomicInteger ran = new AtomicInteger();
        start("before", ScheduledReconciliation.task(Duration.ofHours(1), ran::incrementAndGet));
        assertThat(scheduledExecutions()).isEqualTo(1);
        schedulers.remove(0).stop();

        start("after", ScheduledReconciliation.task(Duration.ZERO, ran::incrementAndGet));
        assertThat(scheduledExecutions()).isZero();
        assertThat(ran).hasValue(0);
    }

    @Test
    void aReconciliationWaitsWhileAnotherInstanceRunsOne() throws Exception {
        CompletableFuture<ReconciliationReport> waiting;
        try (Connection otherInstance = dataSource.getConnection()) {
            advisoryLock(otherInstance, "pg_advisory_lock");
            waiting = CompletableFuture.supplyAsync(() -> reconciliations.run(ScheduledReconciliation.REQUESTED_BY));
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "select count(*) from pg_locks where locktype = 'advisory' and objid = ? and not granted", Integer.class,
                    OneReconciliationAtATime.LOCK & 0xffffffffL) == 1);
            assertThat(waiting).as("waits for the other instance's run").isNotDone();
            advisoryLock(otherInstance, "pg_advisory_unlock");
        }
        ReconciliationReport report = waiting.get(60, TimeUnit.SECONDS);
        assertThat(jdbc.queryForObject("select requested_by from billing.reconciliations where id = ?", String.class, report.id()))
                .isEqualTo(ScheduledReconciliation.REQUESTED_BY);
    }

    @Test
    void twoReconciliationsStartedTogetherRunOneAfterTheOther() throws Exception {
        CompletableFuture<ReconciliationReport> scheduled = CompletableFuture.supplyAsync(() -> reconciliations.run(ScheduledReconciliation.REQUESTED_BY));
        CompletableFuture<ReconciliationReport> another = CompletableFuture.supplyAsync(() -> reconciliations.run("another-instance"));
        ReconciliationReport first = scheduled.get(60, TimeUnit.SECONDS);
        ReconciliationReport second = another.get(60, TimeUnit.SECONDS);
        assertThat(first.finishedAt().isAfter(second.startedAt()) && second.finishedAt().isAfter(first.startedAt()))
                .as("the runs %s-%s and %s-%s overlap", first.startedAt(), first.finishedAt(), second.startedAt(), second.finishedAt()).isFalse();
    }

    @Test
    void anOnDemandReconciliationIsRefusedWhileAnotherRunsInsteadOfHoldingARequestThread() throws Exception {
        try (Connection otherInstance = dataSource.getConnection()) {
            advisoryLock(otherInstance, "pg_advisory_lock");
            assertThatThrownBy(() -> reconciliations.runIfIdle("operator-1")).isInstanceOfSatisfying(TryAgainLater.class, busy -> {
                assertThat(busy.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(busy.retryAfter()).isEqualTo(OneReconciliationAtATime.BUSY_RETRY_AFTER);
            });
            advisoryLock(otherInstance, "pg_advisory_unlock");
        }
        assertThat(reconciliations.runIfIdle("operator-1").finishedAt()).isNotNull();
        assertThat(jdbc.queryForObject("show statement_timeout", String.class)).as("the lock's wait lifts the timeout for itself only").isEqualTo("30s");
    }

    private void start(String instance, RecurringTask<Void> task) {
        Scheduler scheduler = Scheduler.create(dataSource)
                .startTasks(task)
                .tableName(TABLE)
                .schedulerName(new SchedulerName.Fixed(instance))
                .pollingInterval(Duration.ofMillis(50))
                .threads(1)
                .build();
        schedulers.add(scheduler);
        scheduler.start();
    }

    private int scheduledExecutions() {
        return jdbc.queryForObject("select count(*) from " + TABLE + " where task_name = ?", Integer.class, ScheduledReconciliation.TASK);
    }

    private static void advisoryLock(Connection connection, String function) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("select " + function + "(?)")) {
            statement.setLong(1, OneReconciliationAtATime.LOCK);
            statement.execute();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
