package io.seatledger.api.embedded;

import io.seatledger.api.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The build's class-data training run ({@code seatledger.startup.training-run}, run by {@code api/pom.xml} at every
 * package) as its own process: it starts the service with its embedded servers, answers its health check, and ends
 * by itself with 0, leaving neither PostgreSQL nor Redis running. A build must not leave servers behind, and must
 * fail when the service it built does not start healthy.
 */
class TrainingRunTest {

    @Test
    void theTrainingRunEndsByItselfAfterAHealthyStartAndLeavesNoServerRunning(@TempDir Path root) throws Exception {
        Path data = root.resolve("data");
        Path log = root.resolve("training.log");
        Path postgresPidFile = data.resolve("postgres").resolve(OrphanedServers.POSTGRES_PID_FILE);
        Path redisPidFile = data.resolve("redis").resolve(OrphanedServers.REDIS_PID_FILE);
        try (ServiceProcess training = ServiceProcess.start(data, log, "--seatledger.startup.training-run=true")) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(postgresPidFile) && Files.exists(redisPidFile) || !training.isAlive());
            long postgres = pidIn(postgresPidFile);
            long redis = pidIn(redisPidFile);
            assertThat(ProcessHandle.of(postgres)).as("PostgreSQL runs during the training run").isPresent();

            assertThat(training.awaitExit(Duration.ofSeconds(180))).as("the exit code of the training run").isZero();

            assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("training run: the health check answered 200");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(ProcessHandle.of(postgres).filter(ProcessHandle::isAlive)).as("PostgreSQL after the training run").isEmpty();
                assertThat(ProcessHandle.of(redis).filter(ProcessHandle::isAlive)).as("Redis after the training run").isEmpty();
            });
        } finally {
            if (Files.exists(postgresPidFile) || Files.exists(redisPidFile)) {
                ServiceProcess.stopServersLeftIn(data);
            }
        }
    }

    private static long pidIn(Path pidFile) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim());
    }
}
