package io.seatledger.api.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the auditor's command-line tool ({@code seat-ledger}, module cli) as its own operating-system process, as an
 * auditor would: {@code java -jar seat-ledger-cli.jar} when the build has packaged it (this test run's classpath then
 * holds the executable jar), else the cli module's classes on this run's classpath.
 */
public final class CliProcess {

    public record Result(int status, String out, String err) {
    }

    private CliProcess() {
    }

    /** A run under way: the process and where its output goes. */
    public record Running(Process process, Path out, Path err, String command) {

        /** Waits for the end of the run (at most two minutes) and answers its exit status and output. */
        public Result finish() throws IOException, InterruptedException {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("seat-ledger " + command + " did not finish within 2 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    public static Result run(Path workDirectory, String... arguments) throws IOException, InterruptedException {
        return start(workDirectory, arguments).finish();
    }

    /** Starts the tool and returns at once: a test may kill it mid-run. */
    public static Running start(Path workDirectory, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        List<String> classpath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        // the packaged tool in a reactor build, or the installed artifact (the same executable jar) in a build of api alone
        String jar = classpath.stream().filter(entry -> entry.endsWith("seat-ledger-cli.jar")
                || entry.replace(File.separatorChar, '/').matches(".*/io/seatledger/cli/[^/]+/cli-[^/]+\\.jar")).findFirst().orElse(null);
        if (jar != null) {
            command.addAll(List.of("-jar", jar));
        } else {
            command.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), "io.seatledger.cli.SeatLedgerCli"));
        }
        command.addAll(Arrays.asList(arguments));
        Path out = Files.createTempFile(workDirectory, "cli", ".out");
        Path err = Files.createTempFile(workDirectory, "cli", ".err");
        Process process = new ProcessBuilder(command).directory(workDirectory.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Running(process, out, err, String.join(" ", arguments));
    }
}
