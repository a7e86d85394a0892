package io.seatledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code seat-ledger audit checkpoints --url URL --org ORG --token TOKEN [--out FILE]}: every signed checkpoint of an
 * organization, all pages, as {@code {orgId, items}}: the file {@code audit verify --checkpoints} reads. Keep it.
 */
@Command(name = "checkpoints", mixinStandardHelpOptions = true, description = "Fetch an organization's signed checkpoints.")
final class CheckpointsCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        try {
            ApiCalls api = connection.api();
            ObjectNode all = JSON.createObjectNode().put("orgId", orgId);
            ArrayNode items = all.putArray("items");
            String next = null;
            do {
                JsonNode page = JSON.readTree(api.getJson("/api/v1/orgs/" + ApiCalls.segment(orgId) + "/audit/checkpoints?limit=1000"
                        + (next == null ? "" : "&after=" + ApiCalls.segment(next))));
                page.get("items").forEach(items::add);
                next = page.hasNonNull("next") ? page.get("next").asString() : null;
            } while (next != null);
            output.write(spec.commandLine().getOut(), out -> out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n"));
            spec.commandLine().getErr().println(items.size() + " checkpoints fetched");
            return 0;
        } catch (IOException failed) {
            spec.commandLine().getErr().println("fetching checkpoints failed: " + failed.getMessage());
            return SeatLedgerCli.FAILED;
        }
    }
}
