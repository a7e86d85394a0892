package io.seatledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code seat-ledger}: the command-line tool of billing managers and auditors. {@code seats import} assigns the seats
 * of a CSV file in resumable bulk requests, {@code pools list} and {@code usage} show what an organization holds;
 * {@code audit verify} checks an export and signed checkpoints offline, {@code audit export}, {@code audit checkpoints}
 * and {@code audit keys} fetch them from the API.
 */
@Command(name = "seat-ledger", mixinStandardHelpOptions = true, version = "seat-ledger 0.1.0",
        description = "Seat-ledger from the command line: import seats, list pools and usage, fetch and verify audit trails.",
        subcommands = {SeatsCommand.class, PoolsCommand.class, UsageCommand.class, AuditCommand.class})
public final class SeatLedgerCli {

    /** Exit code of a verification that found the export or a checkpoint invalid. */
    public static final int INVALID = 1;
    /** Exit code of a command that could not do its work: unreadable input, a refused request. */
    public static final int FAILED = 3;
    /** Exit code of an import that went through with some rows refused (the summary lists them). */
    public static final int SOME_REJECTED = 4;

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
