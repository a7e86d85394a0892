package io.seatledger.api.embedded;

import org.apache.commons.logging.Log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Stops the embedded servers that an instance which died without shutting down (kill -9, OOM kill, crash) left
 * running on this data directory: they outlive the JVM, keep the directory and its ports, and a new PostgreSQL
 * would wait for them in vain. A process counts as such an orphan only if the server's pid file in the data
 * directory names it, it runs the server's executable, and it names the same data directory itself (PostgreSQL:
 * {@code -D <dir>} on its command line; Redis: its working directory, which Redis changes to its {@code dir}). Anything else is never signalled. Orphans get the signal of a clean shutdown (PostgreSQL:
 * SIGINT, its fast shutdown; Redis: SIGTERM, which writes its append-only file) and are killed only if they
 * outlast a grace period.
 */
final class OrphanedServers {

    /** Where Redis writes its pid (the {@code pidfile} setting), in its data directory. */
    static final String REDIS_PID_FILE = "redis.pid";
    static final String POSTGRES_PID_FILE = "postmaster.pid";
    private static final Duration GRACE = Duration.ofSeconds(30);

    /** What was found in a data directory. */
    enum Outcome {
        /** No pid file. */
        NONE,
        /** A pid file whose process is gone: the server handles it at start. */
        STALE,
        /** A pid file whose pid now belongs to a process that is not this directory's server: left running. */
        NOT_OURS,
        /** A live process that cannot be inspected (another user's, no /proc): left running. */
        UNVERIFIED,
        /** An orphaned server that stopped when asked. */
        STOPPED,
        /** An orphaned server that had to be killed after the grace period. */
        KILLED
    }

    private OrphanedServers() {
    }

    /** Stops an orphaned PostgreSQL whose data directory is {@code postgresData}. */
    static Outcome stopPostgres(Path postgresData, Log log) throws IOException {
        Path directory = postgresData.toRealPath();
        Path pidFile = directory.resolve(POSTGRES_PID_FILE);
        // the same directory however it was named: relative to the process's own working directory, through links
        Predicate<LocalProcess> ours = process -> process.program().filter("postgres"::equals).isPresent()
                && process.argument("-D").flatMap(dataDirectory -> realPath(process, dataDirectory)).map(directory::equals).orElse(false);
        Outcome outcome = stop("PostgreSQL", pidFile, ours, "INT", log);
        if (outcome == Outcome.NOT_OURS) {
            // PostgreSQL would take the unrelated process for a postmaster still running here and refuse to start.
            Files.deleteIfExists(pidFile);
        }
        return outcome;
    }

    private static Optional<Path> realPath(LocalProcess process, String path) {
        try {
            Path named = Path.of(path);
            return Optional.of((named.isAbsolute() ? named : process.workingDirectory().orElseThrow().resolve(named)).toRealPath());
        } catch (IOException | RuntimeException unresolvable) {
            return Optional.empty();
        }
    }

    /** Stops an orphaned Redis whose data directory is {@code redisData}. */
    static Outcome stopRedis(Path redisData, Log log) throws IOException {
        Path directory = redisData.toRealPath();
        Path pidFile = directory.resolve(REDIS_PID_FILE);
        Predicate<LocalProcess> ours = process -> process.program().filter(program -> program.startsWith("redis-server")).isPresent()
                && process.workingDirectory().map(directory::equals).orElse(false);
        Outcome outcome = stop("Redis", pidFile, ours, "TERM", log);
        if (outcome == Outcome.STALE || outcome == Outcome.NOT_OURS) {
            Files.deleteIfExists(pidFile);
        }
        return outcome;
    }

    private static Outcome stop(String server, Path pidFile, Predicate<LocalProcess> ours, String signal, Log log) throws IOException {
        if (!Files.exists(pidFile)) {
            return Outcome.NONE;
        }
        Optional<LocalProcess> process = pid(pidFile).flatMap(LocalProcess::of);
        if (process.isEmpty()) {
            log.info("stale " + server + " pid file " + pidFile + " (its process is gone)");
            return Outcome.STALE;
        }
        LocalProcess found = process.get();
        if (!found.inspectable()) {
            log.warn(server + " pid file " + pidFile + " names live process " + found.pid()
                    + ", which cannot be inspected; it is left running (stop it by hand if it is this directory's server)");
            return Outcome.UNVERIFIED;
        }
        if (!ours.test(found)) {
            log.info(server + " pid file " + pidFile + " names process " + found.pid() + " (" + found.program().orElseThrow()
                    + "), which is not this directory's server: left running, pid file discarded");
            return Outcome.NOT_OURS;
        }
        long started = System.nanoTime();
        boolean killed = found.stop(signal, GRACE);
        log.warn("stopped the orphaned " + server + " (pid " + found.pid() + ") that a previous instance left running on "
                + pidFile.getParent() + (killed ? ": it ignored SIG" + signal + " and was killed" : ": SIG" + signal) + ", "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        return killed ? Outcome.KILLED : Outcome.STOPPED;
    }

    /** The pid a pid file names, once it is written in full; empty while it is not. */
    static Optional<Long> pid(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip())).filter(pid -> pid > 1);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
