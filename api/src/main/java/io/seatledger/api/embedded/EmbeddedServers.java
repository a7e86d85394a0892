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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real PostgreSQL and a real Redis for the embedded default, kept under one data directory so that
 * events and read models survive a restart. One pair per data directory and JVM: every Spring context
 * of a test run shares it. The JVM holds the directory's {@link DataDirectoryLock} while they run; servers an
 * instance that died without shutting down left behind are stopped before new ones start ({@link OrphanedServers}).
 */
public final class EmbeddedServers {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);
    private static final Map<Path, EmbeddedServers> RUNNING = new ConcurrentHashMap<>();

    private final Path dataDirectory;
    private final DataDirectoryLock lock;
    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final int redisPort;
    private final EmbeddedDatabaseRoles.Credentials credentials;
    /** The command line PostgreSQL ran with, kept while a test has it stopped. */
    private String postgresOptions;

    private EmbeddedServers(Path dataDirectory, DataDirectoryLock lock, EmbeddedPostgres postgres, RedisServer redis, int redisPort,
                            EmbeddedDatabaseRoles.Credentials credentials) {
        this.dataDirectory = dataDirectory;
        this.lock = lock;
        this.postgres = postgres;
        this.redis = redis;
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

    /** The servers for this data directory, started on first use. */
    public static EmbeddedServers forDirectory(Settings settings, Log startupLog) {
        return RUNNING.computeIfAbsent(settings.dataDirectory().toAbsolutePath().normalize(), directory -> start(directory, settings, startupLog));
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

    private static EmbeddedServers start(Path directory, Settings settings, Log startupLog) {
        long started = System.nanoTime();
        boolean startClean = settings.startClean();
        Path postgresData = directory.resolve("postgres");
        Path redisData = directory.resolve("redis");
        DataDirectoryLock lock = null;
        try {
            Files.createDirectories(postgresData);
            Files.createDirectories(redisData);
            lock = DataDirectoryLock.acquire(directory);
            OrphanedServers.stopPostgres(postgresData, startupLog);
            OrphanedServers.stopRedis(redisData, startupLog);
            if (startClean) {
                emptyDirectory(postgresData);
                emptyDirectory(redisData);
            }
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(postgresData)
                    .setCleanDataDirectory(startClean)
                    .setPort(portOrFree(settings.postgresPort()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    // A command is answered once its events are committed: on disk, unless configured otherwise. Only a
                    // scratch directory wiped at every start (tests) skips the flushes; nothing in it has to survive.
                    .setServerConfig("fsync", startClean ? "off" : "on")
                    .setServerConfig("synchronous_commit", settings.synchronousCommit() ? "on" : "off")
                    .setRegisterShutdownHook(false)
                    .start();
            EmbeddedDatabaseRoles.Credentials credentials = EmbeddedDatabaseRoles.credentials(directory);
            EmbeddedDatabaseRoles.apply(jdbcUrl(postgres.getPort()), credentials);
            int redisPort = portOrFree(settings.redisPort());
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
                redis.start();
            } catch (IOException | RuntimeException e) {
                postgres.close();
                throw e;
            }
            startupLog.info("embedded PostgreSQL on port " + postgres.getPort() + " and Redis on port " + redisPort + " started in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms (data in " + directory + ")");
            return new EmbeddedServers(directory, lock, postgres, redis, redisPort, credentials);
        } catch (IOException e) {
            release(lock);
            throw new UncheckedIOException("could not start the embedded PostgreSQL/Redis in " + directory, e);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    private static void emptyDirectory(Path directory) throws IOException {
        FileSystemUtils.deleteRecursively(directory);
        Files.createDirectories(directory);
    }

    public String jdbcUrl() {
        return jdbcUrl(postgres.getPort());
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
        return "r2dbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public int postgresPort() {
        return postgres.getPort();
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
            redis.stop();
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
            redis.start();
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

    private void close() {
        try {
            redis.stop();
        } catch (IOException e) {
            log.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
        }
        try {
            postgres.close();
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
