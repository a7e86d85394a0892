package io.seatledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code seat-ledger}: the auditor's command-line tool. {@code audit verify} checks an export and signed checkpoints
 * offline; {@code audit export}, {@code audit checkpoints} and {@code audit keys} fetch them from the API.
 */
@Command(name = "seat-ledger", mixinStandardHelpOptions = true, version = "seat-ledger 0.1.0",
        description = "Tools for seat-ledger's auditors.", subcommands = AuditCommand.class)
public final class SeatLedgerCli {

    /** Exit code of a verification that found the export or a checkpoint invalid. */
    public static final int INVALID = 1;
    /** Exit code of a command that could not do its work: unreadable input, a refused request. */
    public static final int FAILED = 3;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line; a failure no command expected (a malformed file, an interruption) exits with {@link #FAILED}, never as "invalid". */
    public static CommandLine commandLine() {
        return new CommandLine(new SeatLedgerCli()).setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            commandLine.getErr().println("failed: " + failure);
            return FAILED;
        });
    }
}
