package io.seatledger.cli;

import picocli.CommandLine.Command;

/** {@code seat-ledger seats …}: work on many seats at once. */
@Command(name = "seats", mixinStandardHelpOptions = true, description = "Assign seats in bulk.", subcommands = ImportCommand.class)
final class SeatsCommand {
}
