package io.seatledger.cli;

import picocli.CommandLine.Command;

/** {@code seat-ledger audit …}: an organization's audit trail, its signed checkpoints and the keys that sign them. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify and fetch audit trails.",
        subcommands = {VerifyCommand.class, ExportCommand.class, CheckpointsCommand.class, KeysCommand.class})
final class AuditCommand {
}
