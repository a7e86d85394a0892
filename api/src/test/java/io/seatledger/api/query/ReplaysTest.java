package io.seatledger.api.query;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.TryAgainLater;
import io.seatledger.query.seatpool.Replays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Time travel's own threads: bounded per organization and in all, on threads of their own, refusing rather than queueing without end. */
class ReplaysTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private Replays replays;

    @AfterEach
    void stop() {
        release.countDown();
        replays.destroy();
    }

    @Test
    void runsOnItsOwnThreadsAndGivesEmptyForNothing() {
        replays = new Replays(1, 1, 1);
        assertThat(replays.run("org-a", () -> Thread.currentThread().getName()).block(Duration.ofSeconds(5))).startsWith("time-travel-");
        assertThat(replays.run("org-a", () -> null).blockOptional(Duration.ofSeconds(5))).isEmpty();
        assertThat(replays.inUse("org-a")).isZero();
    }

    @Test
    void anOrganizationOverItsLimitIsRefusedWith429WhileOthersGoOn() {
        replays = new Replays(2, 4, 1);
        Disposable blocked = replays.run("org-a", this::blockUntilReleased).subscribe();
        await().until(() -> replays.inUse("org-a") == 1);
        assertThatThrownBy(() -> replays.run("org-a", () -> "second").block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(TryAgainLater.class, refused -> {
                    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(refused.retryAfter()).isPositive();
                });
        assertThat(replays.run("org-b", () -> "other tenant").block(Duration.ofSeconds(5))).isEqualTo("other tenant");
        blocked.dispose();
    }

    @Test
    void aFullQueueIsRefusedWith503() {
        replays = new Replays(1, 1, 10);
        replays.run("org-a", this::blockUntilReleased).subscribe();
        replays.run("org-b", this::blockUntilReleased).subscribe();
        await().until(() -> replays.inUse("org-a") + replays.inUse("org-b") == 2);
        assertThatThrownBy(() -> replays.run("org-c", () -> "third").block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(TryAgainLater.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(replays.inUse("org-c")).as("a refused replay holds no permit").isZero();
    }

    @Test
    void aReplayWhoseCallerLeftHoldsItsPermitUntilItsThreadIsDoneAndAQueuedOneNeverRuns() throws Exception {
        replays = new Replays(1, 4, 2);
        AtomicInteger ran = new AtomicInteger();
        Disposable running = replays.run("org-a", () -> {
            ran.incrementAndGet();
            return blockUntilReleased();
        }).subscribe();
        await().until(() -> ran.get() == 1);
        Disposable queued = replays.run("org-a", () -> ran.incrementAndGet()).subscribe();
        running.dispose();
        queued.dispose();
        assertThat(replays.inUse("org-a")).as("the thread still works for the tenant").isEqualTo(2);
        release.countDown();
        await().until(() -> replays.inUse("org-a") == 0);
        assertThat(ran.get()).as("the abandoned queued replay was skipped").isEqualTo(1);
        assertThat(replays.run("org-a", () -> "again").block(Duration.ofSeconds(5))).isEqualTo("again");
    }

    private String blockUntilReleased() throws InterruptedException {
        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
        return "released";
    }
}
