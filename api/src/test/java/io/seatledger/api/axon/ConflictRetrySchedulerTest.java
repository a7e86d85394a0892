package io.seatledger.api.axon;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.Rejection;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConflictRetrySchedulerTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final ConflictRetryScheduler scheduler = new ConflictRetryScheduler(executor, 2);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aLostRaceForAnAggregateVersionIsDispatchedAgain() throws InterruptedException {
        CountDownLatch redispatched = new CountDownLatch(1);
        boolean retrying = scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("command"),
                new RuntimeException("append failed", new ConcurrencyException("sequence 7 was taken")), failures(1), redispatched::countDown);
        assertThat(retrying).isTrue();
        assertThat(redispatched.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBusinessRejectionIsNeverRetried() {
        CommandExecutionException rejected = new CommandExecutionException("full", null, new Rejection(ErrorCode.SEAT_CAPACITY_EXCEEDED, "full"));
        assertThat(scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("command"), rejected, failures(1), () -> { })).isFalse();
    }

    @Test
    void retriesStopAfterTheConfiguredNumber() {
        assertThat(scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("command"),
                new ConcurrencyException("taken again"), failures(3), () -> { })).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends Throwable>[]> failures(int count) {
        List<Class<? extends Throwable>[]> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            failures.add(new Class[]{ConcurrencyException.class});
        }
        return failures;
    }
}
