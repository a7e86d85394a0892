package io.seatledger.cli;

import io.seatledger.auditformat.Fault;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code seat-ledger audit verify export.ndjson [--keys keys.json] [--checkpoints checkpoints.json]}: recomputes every
 * hash and link of an export (NDJSON or CSV) and, given checkpoints and keys, checks each checkpoint's signature and
 * root. Exit 0 when everything holds, 1 naming the first bad entry or checkpoint, 3 when the input cannot be read.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify an audit export offline: every hash, every chain, and signed checkpoints.",
                "Exit status: 0 valid, 1 invalid (the first bad entry or checkpoint is named), 3 unreadable input."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPORT", description = "The export: NDJSON or CSV, a whole trail (no filter).")
    Path export;

    @Option(names = "--keys", paramLabel = "FILE", description = "The JWKS of GET /api/v1/audit/keys (seat-ledger audit keys).")
    Path keys;

    @Option(names = "--checkpoints", paramLabel = "FILE", description = "Checkpoints kept earlier (seat-ledger audit checkpoints).")
    Path checkpoints;

    @Option(names = "--org", paramLabel = "ORG", description = "The organization the checkpoints sign for (default: the export's).")
    String orgId;

    @Option(names = "--benchmark", description = "Measure: generate an export of --entries entries and verify it on one thread.")
    boolean benchmark;

    @Option(names = "--entries", defaultValue = "1000000", description = "Entries of the --benchmark export (default ${DEFAULT-VALUE}).")
    int entries;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (benchmark) {
            return BenchmarkExport.run(entries, out);
        }
        if (export == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'EXPORT'");
        }
        if ((keys == null) != (checkpoints == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoints and --keys go together");
        }
        try {
            CheckpointFiles.Kept kept = checkpoints == null ? null : CheckpointFiles.checkpoints(checkpoints);
            ExportVerification.Report report = ExportVerification.verify(export, orgId != null ? orgId : kept == null ? null : kept.orgId(),
                    kept == null ? null : kept::of, keys == null ? null : CheckpointFiles.keys(keys));
            return print(report, out, err);
        } catch (ExportEntries.MalformedExport | IllegalArgumentException | IOException unreadable) {
            err.println("cannot verify: " + unreadable.getMessage());
            return SeatLedgerCli.FAILED;
        }
    }

    private int print(ExportVerification.Report report, PrintWriter out, PrintWriter err) {
        Fault fault = report.chain().fault();
        if (fault != null) {
            err.printf("INVALID: first bad entry: %s at position %s (aggregate %s, sequence %d)%n", fault.kind().label(),
                    fault.position() == null ? "unknown" : fault.position(), fault.aggregateId(), fault.sequence());
        }
        if (report.checkpoints() != null && !report.checkpoints().valid()) {
            var invalid = report.checkpoints().firstInvalid();
            err.printf("INVALID: checkpoint %s (upTo %d) does not hold: %s%n", invalid.checkpointId(), invalid.upTo(), invalid.problem().label());
        }
        if (report.valid()) {
            out.printf("valid: %d entries, root %s%s%n", report.chain().entries(), report.chain().headsRoot(),
                    report.checkpoints() == null ? "" : ", " + report.checkpoints().checked() + " checkpoints hold");
            return 0;
        }
        return SeatLedgerCli.INVALID;
    }
}
