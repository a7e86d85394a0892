package io.seatledger.cli;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.CheckpointSignature;
import io.seatledger.auditformat.Heads;
import io.seatledger.auditformat.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code seat-ledger audit verify} run as a user runs it (picocli, files, exit status): a genuine export holds in
 * NDJSON and CSV; a doctored, shortened or reordered one is refused with its first bad entry named; a chain rewritten
 * with recomputed hashes is caught by a checkpoint kept from before; unreadable input is said to be unreadable.
 */
class VerifyCommandTest {

    @TempDir
    Path directory;

    private final List<CanonicalEntry> trail = Trails.trail(30);

    @Test
    void aGenuineExportHoldsAsNdjsonAndAsCsv() throws Exception {
        Run ndjson = run("audit", "verify", Trails.ndjson(directory.resolve("export.ndjson"), trail).toString());
        assertThat(ndjson.status).as(ndjson.err).isZero();
        String root = Heads.of(trail, Long.MAX_VALUE).root();
        assertThat(ndjson.out).contains("valid: 30 entries, root " + root);
        Run csv = run("audit", "verify", Trails.csv(directory.resolve("export.csv"), trail).toString());
        assertThat(csv.status).as(csv.err).isZero();
        assertThat(csv.out).contains("valid: 30 entries, root " + root);
    }

    @Test
    void aDoctoredEntryIsNamed() throws Exception {
        Path export = Trails.ndjson(directory.resolve("export.ndjson"), trail);
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        CanonicalEntry doctored = trail.get(17);
        lines.set(17, lines.get(17).replace("user17@example.com", "user71@example.com"));
        Files.write(export, lines);
        Run run = run("audit", "verify", export.toString());
        assertThat(run.status).isEqualTo(SeatLedgerCli.INVALID);
        assertThat(run.err).contains("INVALID: first bad entry: modified at position " + doctored.position() + " (aggregate "
                + doctored.aggregateId() + ", sequence " + doctored.sequence() + ")");

        Path csv = Trails.csv(directory.resolve("export.csv"), trail);
        Files.writeString(csv, Files.readString(csv).replace("user17@example.com", "user71@example.com"));
        assertThat(run("audit", "verify", csv.toString()).err).contains("modified at position " + doctored.position());
    }

    @Test
    void aDeletedOrReorderedEntryIsNamed() throws Exception {
        List<CanonicalEntry> shortened = new ArrayList<>(trail);
        shortened.remove(10);
        CanonicalEntry next = trail.get(13);
        assertThat(next.aggregateId()).isEqualTo(trail.get(10).aggregateId());
        Run deleted = run("audit", "verify", Trails.ndjson(directory.resolve("deleted.ndjson"), shortened).toString());
        assertThat(deleted.status).isEqualTo(SeatLedgerCli.INVALID);
        assertThat(deleted.err).contains("deleted at position " + next.position() + " (aggregate " + next.aggregateId() + ", sequence " + next.sequence() + ")");

        List<CanonicalEntry> swapped = new ArrayList<>(trail);
        swapped.set(5, trail.get(6));
        swapped.set(6, trail.get(5));
        Run reordered = run("audit", "verify", Trails.ndjson(directory.resolve("reordered.ndjson"), swapped).toString());
        assertThat(reordered.status).isEqualTo(SeatLedgerCli.INVALID);
        assertThat(reordered.err).contains("reordered at position " + trail.get(5).position());
    }

    @Test
    void aChainRewrittenWithRecomputedHashesIsCaughtByAnOlderCheckpoint() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String x = SigningKeys.x(key.getPublic());
        long upTo = trail.get(20).position();
        String root = Heads.of(trail, upTo).root();
        Instant signedAt = Instant.parse("2026-12-01T11:00:00.000001Z");
        Map<String, Object> checkpoint = Map.of("checkpointId", "cp-1", "upTo", upTo, "headHash", root, "signedAt", signedAt.toString(),
                "keyId", SigningKeys.keyId(x), "signature", CheckpointSignature.sign(key.getPrivate(), CheckpointSignature.input("org-1", upTo, root, signedAt)));
        JsonMapper json = JsonMapper.builder().build();
        Path checkpoints = Files.writeString(directory.resolve("checkpoints.json"), json.writeValueAsString(Map.of("orgId", "org-1", "items", List.of(checkpoint))));
        Path keys = Files.writeString(directory.resolve("keys.json"), json.writeValueAsString(Map.of("keys", List.of(SigningKeys.jwk(x)))));

        Run genuine = run("audit", "verify", Trails.ndjson(directory.resolve("export.ndjson"), trail).toString(), "--keys", keys.toString(),
                "--checkpoints", checkpoints.toString());
        assertThat(genuine.status).as(genuine.err).isZero();
        assertThat(genuine.out).contains("1 checkpoints hold");

        List<CanonicalEntry> forged = new ArrayList<>(trail);
        CanonicalEntry victim = trail.get(7);
        forged.set(7, new CanonicalEntry(victim.position(), victim.orgId(), victim.aggregateId(), victim.sequence(), victim.occurredAt(), victim.actorId(),
                victim.actorRoles(), victim.requestId(), victim.reason(), victim.action(), victim.objectType(), victim.objectId(), victim.poolId(),
                victim.seatId(), victim.details().replace("user7@", "mallory@"), null, null));
        Path rewritten = Trails.ndjson(directory.resolve("rewritten.ndjson"), Trails.rechain(forged));
        Run withoutCheckpoints = run("audit", "verify", rewritten.toString());
        assertThat(withoutCheckpoints.status).as("the rewritten chain alone verifies").isZero();
        Run caught = run("audit", "verify", rewritten.toString(), "--keys", keys.toString(), "--checkpoints", checkpoints.toString());
        assertThat(caught.status).isEqualTo(SeatLedgerCli.INVALID);
        assertThat(caught.err).contains("INVALID: checkpoint cp-1 (upTo " + upTo + ") does not hold: root");

        Path otherKeys = Files.writeString(directory.resolve("other-keys.json"), json.writeValueAsString(Map.of("keys",
                List.of(SigningKeys.jwk(SigningKeys.x(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()))))));
        Run unknownKey = run("audit", "verify", directory.resolve("export.ndjson").toString(), "--keys", otherKeys.toString(),
                "--checkpoints", checkpoints.toString());
        assertThat(unknownKey.err).contains("does not hold: unknown-key");
    }

    @Test
    void unreadableInputIsNamedAndMisuseIsAUsageError() throws Exception {
        Path export = Trails.ndjson(directory.resolve("export.ndjson"), trail);
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        lines.set(3, lines.get(3).replace("\"sequence\":", "\"sequence\":\"one\",\"x\":"));
        Files.write(export, lines);
        Run malformed = run("audit", "verify", export.toString());
        assertThat(malformed.status).isEqualTo(SeatLedgerCli.FAILED);
        assertThat(malformed.err).contains("line 4");

        Files.writeString(export, "{\"position\":1,");
        assertThat(run("audit", "verify", export.toString()).status).isEqualTo(SeatLedgerCli.FAILED);
        assertThat(run("audit", "verify", directory.resolve("missing.ndjson").toString()).status).isEqualTo(SeatLedgerCli.FAILED);
        assertThat(run("audit", "verify", export.toString(), "--keys", "keys.json").status).isEqualTo(CommandLine.ExitCode.USAGE);
        Path genuine = Trails.ndjson(directory.resolve("genuine.ndjson"), trail);
        Path keys = Files.writeString(directory.resolve("keys.json"), "{\"keys\":[]}");
        for (String checkpoints : List.of("{\"items\":[{\"checkpointId\":\"c\"}]}", "{\"items\":[{\"checkpointId\":\"c\",\"upTo\":1,"
                + "\"headHash\":\"00\",\"signedAt\":\"yesterday\",\"keyId\":\"k\",\"signature\":\"s\"}]}", "[1]", "{}", "not json")) {
            Path file = Files.writeString(directory.resolve("checkpoints.json"), checkpoints);
            Run run = run("audit", "verify", genuine.toString(), "--keys", keys.toString(), "--checkpoints", file.toString());
            assertThat(run.status).as(checkpoints + ": " + run.err).isEqualTo(SeatLedgerCli.FAILED);
        }
        assertThat(run("audit", "verify").status).isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void anEmptyExportIsAnEmptyValidTrail() throws Exception {
        Run run = run("audit", "verify", Files.writeString(directory.resolve("empty.ndjson"), "").toString());
        assertThat(run.status).isZero();
        assertThat(run.out).contains("valid: 0 entries");
    }

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SeatLedgerCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }
}
