package io.seatledger.api.embedded;

import io.seatledger.api.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The build's class-data training run ({@code seatledger.startup.training-run}, run by {@code api/pom.xml} at every
 * package) as its own process: it starts the service with its embedded servers, asks its health check, and ends by
 * itself, leaving neither PostgreSQL nor Redis running: with 0 after a healthy start, with 1 (failing the build)
 * when the check never answered 200. A build must not leave servers behind, nor pass for a service that is not healthy.
 */
class TrainingRunTest {

    @Test
    void aHealthyTrainingRunEndsByItselfWithZeroAndLeavesNoServerRunning(@TempDir Path root) throws Exception {
        Path log = root.resolve("training.log");
        int exitCode = trainAndCheckTheServersStopped(root.resolve("data"), log, "--seatledger.startup.training-run=true");

        assertThat(exitCode).as("the exit code of a healthy training run").isZero();
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("training run: the health check answered 200");
    }

    @Test
    void aTrainingRunWhoseHealthCheckNeverAnswers200EndsWithOneAndLeavesNoServerRunning(@TempDir Path root) throws Exception {
        Path log = root.resolve("training.log");
        int exitCode = trainAndCheckTheServersStopped(root.resolve("data"), log, "--seatledger.startup.training-run=true",
                "--seatledger.startup.training-run-patience=1s", "--management.endpoint.health.status.http-mapping.up=503");

        assertThat(exitCode).as("the exit code of a training run whose service answered its health check with 503").isEqualTo(1);
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("training run: the health check did not answer 200 within PT1S (last: 503");
    }

    /** Runs the training run to its end; returns its exit code once its PostgreSQL and Redis are seen gone. */
    private static int trainAndCheckTheServersStopped(Path data, Path log, String... arguments) throws Exception {
        Path postgresPidFile = data.resolve("postgres").resolve(OrphanedServers.POSTGRES_PID_FILE);
        Path redisPidFile = data.resolve("redis").resolve(OrphanedServers.REDIS_PID_FILE);
        try (ServiceProcess training = ServiceProcess.start(data, log, arguments)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> pidIn(postgresPidFile).isPresent() && pidIn(redisPidFile).isPresent() || !training.isAlive());
            long postgres = pidIn(postgresPidFile).orElseThrow(() -> new AssertionError("PostgreSQL never ran; the log: " + log));
            long redis = pidIn(redisPidFile).orElseThrow(() -> new AssertionError("Redis never ran; the log: " + log));

            int exitCode = training.awaitExit(Duration.ofSeconds(180));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(ProcessHandle.of(postgres).filter(ProcessHandle::isAlive)).as("PostgreSQL after the training run").isEmpty();
                assertThat(ProcessHandle.of(redis).filter(ProcessHandle::isAlive)).as("Redis after the training run").isEmpty();
            });
            return exitCode;
        } finally {
            if (Files.exists(postgresPidFile) || Files.exists(redisPidFile)) {
                ServiceProcess.stopServersLeftIn(data);
            }
        }
    }

    /** The pid in a server's pid file once it is written in full; empty before. */
    private static Optional<Long> pidIn(Path pidFile) throws IOException {
        return Files.exists(pidFile) ? OrphanedServers.pid(pidFile) : Optional.empty();
    }
}
