package io.seatledger.api.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL and a real Redis for the embedded default, kept under one data directory so that
 * events and read models survive a restart. One pair per data directory and JVM: every Spring context
 * of a test run shares it. The JVM holds the directory's {@link DataDirectoryLock} while they run; servers an
 * instance that died without shutting down left behind are stopped before new ones start ({@link OrphanedServers}).
 * <p>
 * {@link #launch} takes the lock and settles ports and passwords at once, then starts the servers on a thread of
 * their own, so that the service can build its context meanwhile; whatever connects to them first waits for
 * {@link #awaitStarted()}, which rethrows the reason if they could not start.
 */
public final class EmbeddedServers {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);
    private static final Map<Path, EmbeddedServers> RUNNING = new ConcurrentHashMap<>();

    private final Path dataDirectory;
    private final DataDirectoryLock lock;
    private final int postgresPort;
    private final int redisPort;
    private final EmbeddedDatabaseRoles.Credentials credentials;
    private final CompletableFuture<Started> started = new CompletableFuture<>();
    /** The command line PostgreSQL ran with, kept while a test has it stopped. */
    private String postgresOptions;

    /** The running server processes. */
    private record Started(EmbeddedPostgres postgres, RedisServer redis) {
    }

    private EmbeddedServers(Path dataDirectory, DataDirectoryLock lock, int postgresPort, int redisPort,
                            EmbeddedDatabaseRoles.Credentials credentials) {
        this.dataDirectory = dataDirectory;
        this.lock = lock;
        this.postgresPort = postgresPort;
        this.redisPort = redisPort;
        this.credentials = credentials;
    }

    /**
     * Where and how to start: {@code 0} as a port takes any free one; {@code synchronousCommit} off lets PostgreSQL
     * answer a commit before its WAL is flushed (faster, but a crash of PostgreSQL or the machine may lose the
     * last acknowledged commands).
     */
    public record Settings(Path dataDirectory, boolean startClean, int postgresPort, int redisPort, boolean synchronousCommit) {
    }

    /** The servers for this data directory, started on first use; returns once they accept connections. */
    public static EmbeddedServers forDirectory(Settings settings, Log startupLog) {
        return launch(settings, startupLog).awaitStarted();
    }

    /**
     * The servers for this data directory, launched on first use: returns once the directory is locked and their
     * ports and passwords are known, while they still start.
     */
    public static EmbeddedServers launch(Settings settings, Log startupLog) {
        return RUNNING.computeIfAbsent(settings.dataDirectory().toAbsolutePath().normalize(), directory -> launch(directory, settings, startupLog));
    }

    /** The servers started for this data directory, if any (for tests that stop and start them). */
    public static Optional<EmbeddedServers> running(Path dataDirectory) {
        return Optional.ofNullable(RUNNING.get(dataDirectory.toAbsolutePath().normalize()));
    }

    /** Stops the servers of this data directory; their data stays on disk. */
    public static void stop(Path dataDirectory) {
        EmbeddedServers servers = RUNNING.remove(dataDirectory.toAbsolutePath().normalize());
        if (servers != null) {
            servers.close();
        }
    }

    public static void stopAll() {
        RUNNING.keySet().forEach(EmbeddedServers::stop);
    }

    private static EmbeddedServers launch(Path directory, Settings settings, Log startupLog) {
        DataDirectoryLock lock = null;
        try {
            Files.createDirectories(directory.resolve("postgres"));
            Files.createDirectories(directory.resolve("redis"));
            lock = DataDirectoryLock.acquire(directory);
            EmbeddedServers servers = new EmbeddedServers(directory, lock, portOrFree(settings.postgresPort()), portOrFree(settings.redisPort()),
                    EmbeddedDatabaseRoles.credentials(directory));
            Thread starter = new Thread(() -> servers.start(settings, startupLog), "embedded-servers-start");
            starter.setDaemon(true);
            starter.start();
            return servers;
        } catch (IOException e) {
            release(lock);
            throw new UncheckedIOException("could not start the embedded PostgreSQL/Redis in " + directory, e);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    /** Stops what a dead instance left running, then starts PostgreSQL and Redis; on failure the lock is released. */
    private void start(Settings settings, Log startupLog) {
        long begun = System.nanoTime();
        boolean startClean = settings.startClean();
        Path postgresData = dataDirectory.resolve("postgres");
        Path redisData = dataDirectory.resolve("redis");
        try {
            OrphanedServers.stopPostgres(postgresData, startupLog);
            OrphanedServers.stopRedis(redisData, startupLog);
            if (startClean) {
                emptyDirectory(postgresData);
                emptyDirectory(redisData);
            }
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(postgresData)
                    .setCleanDataDirectory(startClean)
                    .setPort(postgresPort)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    // A command is answered once its events are committed: on disk, unless configured otherwise. Only a
                    // scratch directory wiped at every start (tests) skips the flushes; nothing in it has to survive.
                    .setServerConfig("fsync", startClean ? "off" : "on")
                    .setServerConfig("synchronous_commit", settings.synchronousCommit() ? "on" : "off")
                    .setRegisterShutdownHook(false)
                    .start();
            RedisServer redis = RedisServer.newRedisServer()
                    .port(redisPort)
                    .bind("127.0.0.1")
                    .setting("dir " + redisData.toAbsolutePath())
                    .setting("pidfile " + redisData.toAbsolutePath().resolve(OrphanedServers.REDIS_PID_FILE))
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("save \"\"")
                    .setting("maxmemory-policy noeviction")
                    .build();
            try {
                EmbeddedDatabaseRoles.apply(jdbcUrl(postgresPort), credentials);
                redis.start();
            } catch (IOException | RuntimeException e) {
                postgres.close();
                throw e;
            }
            startupLog.info("embedded PostgreSQL on port " + postgresPort + " and Redis on port " + redisPort + " started in "
                    + (System.nanoTime() - begun) / 1_000_000 + " ms (data in " + dataDirectory + ")");
            started.complete(new Started(postgres, redis));
        } catch (IOException | RuntimeException e) {
            release(lock);
            RUNNING.remove(dataDirectory, this);
            started.completeExceptionally(e instanceof IOException io
                    ? new UncheckedIOException("could not start the embedded PostgreSQL/Redis in " + dataDirectory, io) : e);
        }
    }

    /** Waits until both servers accept connections; rethrows why they could not start. */
    public EmbeddedServers awaitStarted() {
        processes();
        return this;
    }

    /** Whether the start has ended, either way. */
    boolean startEnded() {
        return started.isDone();
    }

    private Started processes() {
        try {
            return started.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException reason ? reason : e;
        }
    }

    private static void emptyDirectory(Path directory) throws IOException {
        FileSystemUtils.deleteRecursively(directory);
        Files.createDirectories(directory);
    }

    public String jdbcUrl() {
        return jdbcUrl(postgresPort);
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** The role that owns the schemas and runs the migrations. */
    public String ownerUser() {
        return EmbeddedDatabaseRoles.OWNER;
    }

    public String ownerPassword() {
        return credentials.ownerPassword();
    }

    /** The role the service connects as: it owns nothing (see EmbeddedDatabaseRoles). */
    public String runtimeUser() {
        return EmbeddedDatabaseRoles.RUNTIME_LOGIN;
    }

    public String runtimePassword() {
        return credentials.runtimePassword();
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://localhost:" + postgresPort + "/postgres";
    }

    public int postgresPort() {
        return postgresPort;
    }

    public int redisPort() {
        return redisPort;
    }

    // ------------------------------------------------------------------ fault injection (tests)

    /**
     * Stops PostgreSQL as an operator's fast shutdown does: open sessions are cut off, the data stays. The
     * options it was started with are kept for {@link #startPostgres()}.
     */
    public synchronized void stopPostgres() {
        Path data = dataDirectory.resolve("postgres");
        try {
            postgresOptions = Files.readString(data.resolve("postmaster.opts")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL is not running from " + data, e);
        }
        run(List.of(pgCtl(), "-D", data.toString(), "stop", "-m", "fast", "-w", "-t", "30"));
    }

    /** Starts PostgreSQL again on the same port and data directory, with the options it had; waits until it accepts connections. */
    public synchronized void startPostgres() {
        if (postgresOptions == null) {
            throw new IllegalStateException("PostgreSQL was not stopped through stopPostgres()");
        }
        Path data = dataDirectory.resolve("postgres");
        // postmaster.opts: the binary, then every argument quoted; pg_ctl gives -D itself
        String arguments = postgresOptions.substring(postgresOptions.indexOf(' ') + 1)
                .replaceFirst("\"-D\" \"[^\"]*\" ?", "");
        run(List.of(pgCtl(), "-D", data.toString(), "-o", arguments, "-l", dataDirectory.resolve("postgres-restarted.log").toString(),
                "-w", "-t", "60", "start"));
    }

    /** Stops Redis (its data stays unless {@link #startRedis} is asked for an empty one); waits until its port is closed. */
    public synchronized void stopRedis() {
        try {
            processes().redis().stop();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded Redis", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (accepts(redisPort)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Redis still answers on port " + redisPort);
            }
            pause();
        }
    }

    /** Starts Redis again on the same port; {@code empty} first deletes its data, as a new or flushed Redis has none. */
    public synchronized void startRedis(boolean empty) {
        try {
            if (empty) {
                emptyDirectory(dataDirectory.resolve("redis"));
            }
            processes().redis().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded Redis", e);
        }
    }

    private String pgCtl() {
        String postgresBinary = postgresOptions.substring(0, postgresOptions.indexOf(' '));
        return Path.of(postgresBinary).resolveSibling("pg_ctl").toString();
    }

    /** Runs a PostgreSQL tool as the library runs its own: in a user namespace where one exists, since PostgreSQL refuses root. */
    private static void run(List<String> command) {
        List<String> line = new ArrayList<>();
        if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
            line.addAll(List.of("unshare", "-U"));
        }
        line.addAll(command);
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.get(command.size() - 1) + " of PostgreSQL failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean accepts(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the servers once their start has ended (a failed start has stopped and released everything already). */
    private void close() {
        Started servers;
        try {
            servers = processes();
        } catch (RuntimeException failedToStart) {
            return;
        }
        try {
            servers.redis().stop();
        } catch (IOException e) {
            log.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
        }
        try {
            servers.postgres().close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
        release(lock);
        log.info("embedded PostgreSQL and Redis stopped (data kept in {})", dataDirectory);
    }

    private static void release(DataDirectoryLock lock) {
        if (lock == null) {
            return;
        }
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("could not release the data directory's lock: {}", e.getMessage());
        }
    }

    private static int portOrFree(int port) throws IOException {
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
