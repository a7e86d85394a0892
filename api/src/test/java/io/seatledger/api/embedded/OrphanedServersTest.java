package io.seatledger.api.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.seatledger.api.embedded.OrphanedServers.Outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The orphan detector against real servers and real processes: it stops a PostgreSQL or Redis whose pid file
 * and command line name the data directory, and leaves every other process alone, even one its pid file names.
 */
class OrphanedServersTest {

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aPostgresLeftRunningOnTheDirectoryIsStoppedAndAnotherDirectorysIsNot(@TempDir Path root) throws Exception {
        Path data = root.resolve("postgres");
        // Started like the service starts it; the object is then forgotten, as a killed JVM forgets it.
        EmbeddedPostgres orphan = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start();
        long pid = pidIn(data.resolve(OrphanedServers.POSTGRES_PID_FILE));
        try {
            Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
            Files.copy(data.resolve(OrphanedServers.POSTGRES_PID_FILE), elsewhere.resolve(OrphanedServers.POSTGRES_PID_FILE));
            assertThat(OrphanedServers.stopPostgres(elsewhere, new NoOpLog())).isEqualTo(Outcome.NOT_OURS);
            try (Connection connection = orphan.getPostgresDatabase().getConnection()) {
                assertThat(connection.isValid(1)).as("another directory's pid file does not stop this server").isTrue();
            }

            assertThat(OrphanedServers.stopPostgres(data, new NoOpLog())).isEqualTo(Outcome.STOPPED);
            awaitGone(pid);
            assertThat(data.resolve(OrphanedServers.POSTGRES_PID_FILE)).as("a fast shutdown removes its pid file").doesNotExist();
            assertThat(OrphanedServers.stopPostgres(data, new NoOpLog())).isEqualTo(Outcome.NONE);
        } finally {
            // Releases the library's lock on the directory; its own stop finds no server and logs that as an error.
            orphan.close();
        }
    }

    @Test
    void aRedisLeftRunningOnTheDirectoryIsStoppedAndAnotherDirectorysIsNot(@TempDir Path root) throws Exception {
        Path data = Files.createDirectories(root.resolve("redis"));
        RedisServer orphan = RedisServer.newRedisServer().port(freePort()).bind("127.0.0.1")
                .setting("dir " + data.toAbsolutePath())
                .setting("pidfile " + data.toAbsolutePath().resolve(OrphanedServers.REDIS_PID_FILE))
                .setting("appendonly yes")
                .build();
        orphan.start();
        long pid = pidIn(data.resolve(OrphanedServers.REDIS_PID_FILE));
        try {
            Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
            Files.copy(data.resolve(OrphanedServers.REDIS_PID_FILE), elsewhere.resolve(OrphanedServers.REDIS_PID_FILE));
            assertThat(OrphanedServers.stopRedis(elsewhere, new NoOpLog())).isEqualTo(Outcome.NOT_OURS);
            assertThat(alive(pid)).as("another directory's pid file does not stop this server").isTrue();

            assertThat(OrphanedServers.stopRedis(data, new NoOpLog())).isEqualTo(Outcome.STOPPED);
            awaitGone(pid);
            assertThat(data.resolve(OrphanedServers.REDIS_PID_FILE)).as("a clean shutdown removes its pid file").doesNotExist();
        } finally {
            orphan.stop();
        }
    }

    @Test
    void anUnrelatedProcessNamedByThePidFilesIsLeftRunning(@TempDir Path root) throws Exception {
        Process sleep = start("sleep", "60");
        Path postgres = Files.createDirectories(root.resolve("postgres"));
        Path redis = Files.createDirectories(root.resolve("redis"));
        Files.writeString(postgres.resolve(OrphanedServers.POSTGRES_PID_FILE), sleep.pid() + "\n" + postgres + "\n");
        Files.writeString(redis.resolve(OrphanedServers.REDIS_PID_FILE), sleep.pid() + "\n");

        assertThat(OrphanedServers.stopPostgres(postgres, new NoOpLog())).isEqualTo(Outcome.NOT_OURS);
        assertThat(OrphanedServers.stopRedis(redis, new NoOpLog())).isEqualTo(Outcome.NOT_OURS);

        assertThat(sleep.isAlive()).isTrue();
        assertThat(postgres.resolve(OrphanedServers.POSTGRES_PID_FILE))
                .as("PostgreSQL would take the live process for its postmaster and refuse to start").doesNotExist();
    }

    @Test
    void aProcessWhoseCommandLineMerelyMentionsTheDirectoryIsLeftRunning(@TempDir Path root) throws Exception {
        Path postgres = Files.createDirectories(root.resolve("postgres"));
        // Not a postgres binary, though "-D <directory>" is on its command line.
        Process impostor = start("sh", "-c", "sleep 60; :", "postgres", "-D", postgres.toString());
        Files.writeString(postgres.resolve(OrphanedServers.POSTGRES_PID_FILE), impostor.pid() + "\n");

        assertThat(OrphanedServers.stopPostgres(postgres, new NoOpLog())).isEqualTo(Outcome.NOT_OURS);
        assertThat(impostor.isAlive()).isTrue();
    }

    @Test
    void aPidFileOfAProcessThatIsGoneIsStale(@TempDir Path root) throws Exception {
        Process gone = start("true");
        gone.waitFor();
        Path postgres = Files.createDirectories(root.resolve("postgres"));
        Path redis = Files.createDirectories(root.resolve("redis"));
        Files.writeString(postgres.resolve(OrphanedServers.POSTGRES_PID_FILE), gone.pid() + "\n");
        Files.writeString(redis.resolve(OrphanedServers.REDIS_PID_FILE), gone.pid() + "\n");

        assertThat(OrphanedServers.stopPostgres(postgres, new NoOpLog())).isEqualTo(Outcome.STALE);
        assertThat(OrphanedServers.stopRedis(redis, new NoOpLog())).isEqualTo(Outcome.STALE);
        assertThat(postgres.resolve(OrphanedServers.POSTGRES_PID_FILE)).as("left to PostgreSQL's own check of a stale lock file").exists();
        assertThat(redis.resolve(OrphanedServers.REDIS_PID_FILE)).doesNotExist();
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process);
        return process;
    }

    private static long pidIn(Path pidFile) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    }

    /** Stopped and reaped by its parent (for an orphan, init, which may take a moment). */
    private static void awaitGone(long pid) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
