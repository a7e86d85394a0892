package io.seatledger.cli;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.EntryHash;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code audit verify --benchmark}: writes an export of seat assignments like a large onboarding's (1,000 pools, each
 * entry with its actor, request, reason-less, canonical details) to a temporary file, verifies it as {@code audit verify}
 * does, on this one thread, and reports entries per second. The file is removed afterwards.
 */
final class BenchmarkExport {

    private static final int POOLS = 1_000;

    private BenchmarkExport() {
    }

    static int run(int entries, PrintWriter out) throws IOException {
        Path file = Files.createTempFile("seat-ledger-benchmark", ".ndjson");
        try {
            write(file, entries);
            out.printf("generated %,d entries (%,d bytes)%n", entries, Files.size(file));
            // once to load and compile the code paths, then measured
            ExportVerification.verify(file, null, null, null);
            long started = System.nanoTime();
            ExportVerification.Report report = ExportVerification.verify(file, null, null, null);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (!report.valid()) {
                out.println("the generated export did not verify: " + report.chain().fault());
                return SeatLedgerCli.INVALID;
            }
            out.printf("verified %,d entries in %.2f s: %,.0f entries/s on one thread%n", report.chain().entries(), seconds,
                    report.chain().entries() / seconds);
            out.flush();
            return 0;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static void write(Path file, int entries) throws IOException {
        EntryHash hasher = new EntryHash();
        String[] heads = new String[POOLS];
        long[] sequences = new long[POOLS];
        Instant start = Instant.parse("2026-12-01T08:00:00.000001Z");
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16); NdjsonWriter writer = new NdjsonWriter(stream)) {
            for (int i = 0; i < entries; i++) {
                int pool = i % POOLS;
                String poolId = "pool-" + String.format("%08d", pool) + "-5d1e-4b7a-9c3f-2a6e8d0b1c4f";
                String seatId = "seat-" + String.format("%012d", i) + "-4e2b-8f1a";
                String details = "{\"email\":\"user-" + i + "@example.com\",\"invitationExpiresAt\":\"2026-12-08T08:00:00.000001Z\",\"metadata\":{\"team\":\"core\"},"
                        + "\"orgId\":\"org-bench\",\"poolId\":\"" + poolId + "\",\"seatId\":\"" + seatId + "\"}";
                CanonicalEntry entry = new CanonicalEntry(1_000L + i, "org-bench", poolId, sequences[pool]++, start.plusMillis(i),
                        "manager-7f3c2a", "billing-manager", "req-" + i, null, "SeatAssigned", "seat", seatId, poolId, seatId, details,
                        heads[pool], null);
                String hash = hasher.hex(entry);
                heads[pool] = hash;
                writer.write(entry.chained(entry.prevHash(), hash));
            }
        }
    }
}
