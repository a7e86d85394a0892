package io.seatledger.cli;

import io.seatledger.client.SeatLedgerException;
import io.seatledger.client.model.Usage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code seat-ledger usage --org ORG}: the organization's seats over its pools in service, and how full they are. */
@Command(name = "usage", mixinStandardHelpOptions = true, description = "An organization's seat usage over its pools in service.")
final class UsageCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization.")
    String orgId;

    @Override
    public Integer call() {
        try {
            Usage usage = connection.client().entitlements(orgId).usage();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("pools      %d%ncapacity   %d%nclaimed    %d%npending    %d%navailable  %d%nin use     %s%n", usage.pools(), usage.capacity(),
                    usage.claimed(), usage.pending(), usage.available(),
                    usage.capacity() == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * (usage.claimed() + usage.pending()) / usage.capacity()));
            out.flush();
            return 0;
        } catch (SeatLedgerException refused) {
            spec.commandLine().getErr().println("reading usage failed: " + refused.getMessage());
            return SeatLedgerCli.FAILED;
        }
    }
}
