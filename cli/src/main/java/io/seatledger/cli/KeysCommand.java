package io.seatledger.cli;

import io.seatledger.auditformat.SigningKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code seat-ledger audit keys --url URL [--out FILE]}: the JWKS of the keys that sign checkpoints (no token needed),
 * checked to be Ed25519 keys named by their thumbprints before it is written.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Fetch the public keys that sign checkpoints (a JWKS).")
final class KeysCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The service, e.g. https://seats.example.com")
    String url;

    @Mixin
    Output output;

    @Override
    public Integer call() throws InterruptedException {
        try {
            String jwks = new ApiCalls(url, null).getJson("/api/v1/audit/keys");
            int keys = SigningKeys.fromJwks(JsonMapper.builder().build().readTree(jwks)).size();
            output.write(spec.commandLine().getOut(), out -> out.write(jwks.endsWith("\n") ? jwks : jwks + "\n"));
            spec.commandLine().getErr().println(keys + " signing keys fetched");
            return 0;
        } catch (IOException | IllegalArgumentException failed) {
            spec.commandLine().getErr().println("fetching keys failed: " + failed.getMessage());
            return SeatLedgerCli.FAILED;
        }
    }
}
