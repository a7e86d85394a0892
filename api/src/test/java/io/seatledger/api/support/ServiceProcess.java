package io.seatledger.api.support;

import io.seatledger.api.SeatLedgerApplication;
import io.seatledger.api.embedded.EmbeddedServers;
import org.apache.commons.logging.impl.NoOpLog;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The service as its own operating-system process, for tests that crash it: started with this test run's
 * classpath (without test classes) on its own embedded data directory and a free port, its output appended to
 * a log file. It issues dev tokens and gives every organization limits a test cannot reach.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;
    private final long startedAt = System.nanoTime();

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the service on {@code dataDirectory} (created if missing, never wiped), appending its output to
     * {@code log}; {@code arguments} ({@code --name=value}) come after the harness's own and override them.
     */
    public static ServiceProcess start(Path dataDirectory, Path log, String... arguments) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", serviceClasspath(), SeatLedgerApplication.class.getName(),
                "--server.port=" + port,
                "--seatledger.data-dir=" + dataDirectory.toAbsolutePath(),
                "--seatledger.security.dev-tokens=true",
                "--seatledger.rate-limit.api.requests-per-second=100000",
                "--seatledger.rate-limit.api.burst=100000",
                "--seatledger.rate-limit.entitlements.requests-per-second=100000",
                "--seatledger.rate-limit.entitlements.burst=100000"));
        command.addAll(Arrays.asList(arguments));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "---- " + String.join(" ", command.subList(command.indexOf(SeatLedgerApplication.class.getName()), command.size())) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServiceProcess(process, port, log);
    }

    /**
     * Stops whatever embedded servers a killed service left running on {@code dataDirectory}, as a next start
     * would; for a test's cleanup when it ended before restarting the service.
     */
    public static void stopServersLeftIn(Path dataDirectory) {
        EmbeddedServers.forDirectory(new EmbeddedServers.Settings(dataDirectory, false, 0, 0, true), new NoOpLog());
        EmbeddedServers.stop(dataDirectory);
    }

    /** Waits until {@code /actuator/health} answers UP; returns how long it took from the start of the process. */
    public Duration awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + " before it was healthy; its log: " + log.toAbsolutePath());
            }
            if (healthy()) {
                return Duration.ofNanos(System.nanoTime() - startedAt);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service was not healthy within " + timeout + "; its log: " + log.toAbsolutePath());
    }

    private boolean healthy() throws InterruptedException {
        try {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"");
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    /** The service's HTTP API, to mint dev tokens and act as its callers. */
    public Api api() {
        return new Api(port);
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the service ends by itself; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service did not end within " + timeout + "; its log: " + log.toAbsolutePath());
        }
        return process.exitValue();
    }

    /** SIGKILL: the JVM ends at once, without shutdown hooks; its embedded servers are left running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the service survived SIGKILL");
        }
    }

    /** A normal shutdown (SIGTERM), which stops its embedded servers; killed if it takes longer than 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** This JVM's classpath without test classes, whose test-only beans and routes the service must not pick up. */
    private static String serviceClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + File.separator) && !entry.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
