package io.seatledger.api.audit;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.CliProcess;
import io.seatledger.api.support.AuditTrails;
import io.seatledger.api.support.DatabaseOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auditor's tool, run as its own process against this running service: it fetches the export, the checkpoints
 * and the keys through the API, verifies the genuine export (NDJSON and CSV) offline, names the doctored entry of an
 * edited copy, and catches, with the checkpoint it kept, a history the operator rewrote with recomputed hashes.
 */
class AuditCliProcessTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private io.seatledger.api.audit.checkpoint.CheckpointSigner signer;

    @Autowired
    private DatabaseOwner owner;

    @Autowired
    private io.seatledger.api.erasure.SubjectDigests digests;

    @TempDir
    Path directory;

    @Test
    void theToolVerifiesTheServicesExportRejectsADoctoredCopyAndCatchesARewriteWithAnOlderCheckpoint() throws Exception {
        String poolId = buyPool(5);
        Map<String, Object> ada = assign(poolId, "ada@example.com");
        assign(poolId, "bob@example.com");
        manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, ada.get("seatId"))
                .header("Seat-Ledger-Reason", "%3Dleft%2C%20%22for%20good%22").exchange().expectStatus().isOk();
        AuditTrails.awaitComplete(owner, signer);
        String token = api.token("auditor-" + orgId, orgId, "auditor@example.com", "auditor");
        api.withToken(token).post().uri("/api/v1/orgs/{org}/audit/checkpoints", orgId).exchange().expectStatus().isCreated();
        String url = "http://localhost:" + port;

        assertSucceeds(CliProcess.run(directory, "audit", "export", "--url", url, "--org", orgId, "--token", token, "--out", "export.ndjson"));
        assertSucceeds(CliProcess.run(directory, "audit", "checkpoints", "--url", url, "--org", orgId, "--token", token, "--out", "checkpoints.json"));
        assertSucceeds(CliProcess.run(directory, "audit", "keys", "--url", url, "--out", "keys.json"));

        CliProcess.Result genuine = CliProcess.run(directory, "audit", "verify", "export.ndjson", "--keys", "keys.json", "--checkpoints", "checkpoints.json");
        assertSucceeds(genuine);
        JsonNode verdict = JSON.readTree(api.withToken(token).get().uri("/api/v1/orgs/{org}/audit/verify", orgId).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(genuine.out()).contains("valid: " + verdict.get("entries").asLong() + " entries, root " + verdict.get("headHash").asString())
                .contains("1 checkpoints hold");

        String csv = api.withToken(token).get().uri("/api/v1/orgs/{org}/audit", orgId).accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        Files.writeString(directory.resolve("export.csv"), csv);
        assertSucceeds(CliProcess.run(directory, "audit", "verify", "export.csv", "--keys", "keys.json", "--checkpoints", "checkpoints.json"));

        List<String> lines = new ArrayList<>(Files.readAllLines(directory.resolve("export.ndjson")));
        // addresses are stored sealed, named by their digests: the doctored copy says the seat was rob's
        String bob = digests.of(orgId, "bob@example.com");
        int doctored = indexOf(lines, bob);
        JsonNode entry = JSON.readTree(lines.get(doctored));
        lines.set(doctored, lines.get(doctored).replace(bob, digests.of(orgId, "rob@example.com")));
        Files.write(directory.resolve("doctored.ndjson"), lines);
        CliProcess.Result caught = CliProcess.run(directory, "audit", "verify", "doctored.ndjson");
        assertThat(caught.status()).as(caught.err()).isEqualTo(1);
        assertThat(caught.err()).contains("INVALID: first bad entry: modified at position " + entry.get("position").asLong() + " (aggregate "
                + entry.get("aggregateId").asString() + ", sequence " + entry.get("sequence").asLong() + ")");

        String adaDigest = digests.of(orgId, "ada@example.com");
        String eveDigest = digests.of(orgId, "eve@example.com");
        AuditCheckpointTest.rewritePoolHistory(owner, poolId, adaDigest, eveDigest);
        assertSucceeds(CliProcess.run(directory, "audit", "export", "--url", url, "--org", orgId, "--token", token, "--out", "rewritten.ndjson"));
        assertThat(Files.readString(directory.resolve("rewritten.ndjson"))).contains(eveDigest).doesNotContain(adaDigest).doesNotContain("ada@example.com");
        assertSucceeds(CliProcess.run(directory, "audit", "verify", "rewritten.ndjson"));
        CliProcess.Result rewrite = CliProcess.run(directory, "audit", "verify", "rewritten.ndjson", "--keys", "keys.json", "--checkpoints", "checkpoints.json");
        assertThat(rewrite.status()).as(rewrite.err()).isEqualTo(1);
        String checkpointId = JSON.readTree(Files.readString(directory.resolve("checkpoints.json"))).get("items").get(0).get("checkpointId").asString();
        assertThat(rewrite.err()).contains("INVALID: checkpoint " + checkpointId).contains("does not hold: root");
    }

    private static void assertSucceeds(CliProcess.Result result) {
        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isZero();
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line mentions " + text);
    }
}
