package io.seatledger.api.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running process as Linux shows it in {@code /proc}: its executable, command line and working directory, read
 * directly because {@link ProcessHandle.Info} leaves them empty for processes it cannot attribute. The program
 * comes from the executable, not the command line, which servers may overwrite with a title (Redis does). Elsewhere,
 * or for a process this user may not inspect, they are empty, and callers must then leave the process alone.
 */
record LocalProcess(ProcessHandle handle, Optional<String> program, List<String> commandLine, Optional<Path> workingDirectory) {

    private static final Path PROC = Path.of("/proc");
    private static final String DELETED = " (deleted)";

    /** The live process of this pid, if there is one. */
    static Optional<LocalProcess> of(long pid) {
        Path proc = PROC.resolve(String.valueOf(pid));
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(handle -> new LocalProcess(handle, link(proc.resolve("exe")).map(LocalProcess::fileName), commandLine(proc),
                        link(proc.resolve("cwd"))));
    }

    /** Whether its program and command line could be read. */
    boolean inspectable() {
        return program.isPresent() && !commandLine.isEmpty();
    }

    long pid() {
        return handle.pid();
    }

    /** The argument after {@code option}, if the command line has it. */
    Optional<String> argument(String option) {
        int index = commandLine.indexOf(option);
        return index < 0 || index + 1 >= commandLine.size() ? Optional.empty() : Optional.of(commandLine.get(index + 1));
    }

    /**
     * Asks the process to stop with {@code signal} ({@code INT}, {@code TERM}), waits up to {@code grace}, then
     * kills it and waits up to {@code grace} again. Returns whether it had to be killed.
     */
    boolean stop(String signal, Duration grace) throws IOException {
        send(signal);
        if (exited(grace)) {
            return false;
        }
        handle.destroyForcibly();
        if (!exited(grace)) {
            throw new IOException("process " + pid() + " (" + program.orElse("?") + ") did not stop, not even after SIGKILL");
        }
        return true;
    }

    private void send(String signal) throws IOException {
        if ("TERM".equals(signal)) {
            handle.destroy();
            return;
        }
        // Java sends only SIGTERM and SIGKILL itself.
        Process kill = new ProcessBuilder("kill", "-s", signal, String.valueOf(pid())).redirectErrorStream(true).start();
        try {
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("kill -s " + signal + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling " + pid(), e);
        }
    }

    /**
     * Polls: {@link ProcessHandle#onExit()} checks a process that is not this JVM's child only every few seconds, and
     * counts an exited process as alive until its parent (for an orphan, init) has reaped it.
     */
    private boolean exited(Duration grace) throws IOException {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (handle.isAlive() && !zombie()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for process " + pid(), e);
        }
    }

    /** Exited, not yet reaped: the state after the command name in {@code /proc/<pid>/stat} is {@code Z}. */
    private boolean zombie() {
        try {
            String stat = Files.readString(PROC.resolve(String.valueOf(pid())).resolve("stat"), StandardCharsets.UTF_8);
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static List<String> commandLine(Path proc) {
        try {
            String raw = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    private static Optional<Path> link(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The executable's file name; Linux marks one deleted since it started. */
    private static String fileName(Path executable) {
        String name = executable.getFileName().toString();
        return name.endsWith(DELETED) ? name.substring(0, name.length() - DELETED.length()) : name;
    }
}
