package io.seatledger.cli;

import io.seatledger.client.SeatLedgerException;
import io.seatledger.client.SeatLedgerClient;
import io.seatledger.client.model.Page;
import io.seatledger.client.model.PoolStatus;
import io.seatledger.client.model.SeatPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code seat-ledger pools list --org ORG [--status STATUS]}: an organization's seat pools, one line each, every page. */
@Command(name = "pools", mixinStandardHelpOptions = true, description = "An organization's seat pools.", subcommands = PoolsCommand.List.class)
final class PoolsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the pools with their seats in use.")
    static final class List implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization.")
        String orgId;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only pools of this status: ${COMPLETION-CANDIDATES}.")
        PoolStatus status;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                SeatLedgerClient client = connection.client();
                out.printf("%-38s %-10s %-8s %9s %9s %9s %9s%n", "POOL", "STATUS", "KIND", "CAPACITY", "CLAIMED", "PENDING", "AVAILABLE");
                int pools = 0;
                String cursor = null;
                do {
                    Page<SeatPool> page = client.pools(orgId).list(status, cursor, 200);
                    for (SeatPool pool : page.items()) {
                        out.printf("%-38s %-10s %-8s %9d %9d %9d %9d%n", pool.poolId(), lower(pool.status()), lower(pool.kind()), pool.capacity(),
                                pool.claimed(), pool.pending(), pool.available());
                        pools++;
                    }
                    cursor = page.next();
                } while (cursor != null);
                out.flush();
                spec.commandLine().getErr().println(pools + (pools == 1 ? " pool" : " pools"));
                return 0;
            } catch (SeatLedgerException refused) {
                spec.commandLine().getErr().println("listing pools failed: " + refused.getMessage());
                return SeatLedgerCli.FAILED;
            }
        }

        private static String lower(Enum<?> value) {
            return value == null ? "" : value.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
