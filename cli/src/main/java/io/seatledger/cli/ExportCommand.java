package io.seatledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code seat-ledger audit export --url URL --org ORG --token TOKEN [--out FILE]}: an organization's whole trail as NDJSON. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Fetch an organization's whole audit trail as NDJSON.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Connection connection;

    @Mixin
    Output output;

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization.")
    String orgId;

    @Override
    public Integer call() throws InterruptedException {
        long[] entries = new long[1];
        try {
            output.write(spec.commandLine().getOut(), out -> entries[0] = connection.api().export(orgId, out));
        } catch (IOException | IllegalStateException failed) {
            spec.commandLine().getErr().println("export failed: " + failed.getMessage());
            return SeatLedgerCli.FAILED;
        }
        spec.commandLine().getErr().println(entries[0] + " entries exported");
        return 0;
    }
}
