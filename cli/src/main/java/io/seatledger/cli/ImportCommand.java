package io.seatledger.cli;

import io.seatledger.auditformat.CsvCells;
import io.seatledger.auditformat.CsvLine;
import io.seatledger.client.SeatLedgerException;
import io.seatledger.client.SeatLedgerClient;
import io.seatledger.client.model.AssignSeat;
import io.seatledger.client.model.BulkResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code seat-ledger seats import people.csv --org ORG --pool POOL}: assigns a seat to every row of a CSV file, in bulk
 * requests of at most 10,000 rows. Each request's {@code Idempotency-Key} is derived from the organization, the pool,
 * the chunk's number and its rows, so running the same import again after an interruption (within the service's 24
 * hours of idempotency) is answered, chunk by chunk, with what was stored the first time: nothing is assigned twice, and
 * the summary is the same. The file is read once before anything is sent, so a malformed file sends nothing.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
        "Assign a seat to every row of a CSV file (RFC 4180, UTF-8, a header row).",
        "Columns: email (required), userId and immediateClaim (a seat claimed at once by that user), metadata.<key> (the seat's metadata).",
        "Interrupted? Run the same command again: chunks already stored are answered as before, not assigned twice."})
final class ImportCommand implements Callable<Integer> {

    /** The most rows the service takes in one bulk request. */
    static final int MAX_CHUNK = 10_000;
    private static final String METADATA_PREFIX = "metadata.";
    private static final int REJECTIONS_SHOWN = 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Connection connection;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization.")
    String orgId;

    @Option(names = "--pool", required = true, paramLabel = "POOL", description = "The seat pool to assign seats in.")
    String poolId;

    @Option(names = "--chunk", paramLabel = "ROWS", defaultValue = "10000", description = "Rows per request, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--atomic", description = "Each chunk all or nothing: one refused row refuses its whole chunk (default: rows refused one by one).")
    boolean atomic;

    @Option(names = "--rejected", paramLabel = "FILE", description = "Write the refused rows here as CSV: line, email, code.")
    Path rejectedFile;

    /** A row of the file, by its line number (the header is line 1). */
    record Row(long line, AssignSeat seat) {
    }

    /** A row the service refused. */
    record Refusal(long line, String email, String code) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (chunkSize < 1 || chunkSize > MAX_CHUNK) {
            err.println("--chunk must be 1 to " + MAX_CHUNK);
            return CommandLine.ExitCode.USAGE;
        }
        List<Row> rows;
        try {
            rows = read(file);
        } catch (MalformedFile malformed) {
            err.println("nothing imported: " + malformed.getMessage());
            return SeatLedgerCli.FAILED;
        }
        SeatLedgerClient client = connection.client();
        Progress progress = new Progress(err, rows.size(), System.console() != null);
        List<Refusal> refused = new ArrayList<>();
        long assigned = 0;
        int chunks = (rows.size() + chunkSize - 1) / chunkSize;
        for (int chunk = 0; chunk < chunks; chunk++) {
            List<Row> part = rows.subList(chunk * chunkSize, Math.min(rows.size(), (chunk + 1) * chunkSize));
            List<AssignSeat> seats = part.stream().map(Row::seat).toList();
            BulkResult result;
            try {
                result = client.pools(orgId).assignAll(poolId, seats, atomic, idempotencyKey(chunk, seats));
            } catch (SeatLedgerException failed) {
                progress.done();
                err.printf("chunk %d of %d (lines %d to %d) failed: %s%n", chunk + 1, chunks, part.get(0).line(), part.get(part.size() - 1).line(),
                        failed.getMessage());
                err.printf("%d rows were sent before it. Run the same command again to go on: chunks already stored are not assigned twice.%n",
                        (long) chunk * chunkSize);
                return SeatLedgerCli.FAILED;
            }
            assigned += result.assigned().size();
            for (BulkResult.Rejected rejection : result.rejected()) {
                Row row = part.get(rejection.index());
                refused.add(new Refusal(row.line(), row.seat().email(), rejection.code()));
            }
            progress.advance(part.size(), chunk + 1, chunks, result);
        }
        progress.done();
        summarize(err, rows.size(), chunks, assigned, refused);
        if (rejectedFile != null) {
            writeRefusals(rejectedFile, refused);
        }
        return refused.isEmpty() ? 0 : SeatLedgerCli.SOME_REJECTED;
    }

    /**
     * The chunk's key: a digest of what identifies the request (organization, pool, mode, chunk number) and of its rows
     * as sent. The same file imported again gives the same keys; an edited chunk gets a new one.
     */
    String idempotencyKey(int chunk, List<AssignSeat> seats) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(orgId, poolId, atomic ? "atomic" : "rows", Integer.toString(chunk))) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            for (AssignSeat seat : seats) {
                digest.update(JSON.writeValueAsBytes(seat));
                digest.update((byte) '\n');
            }
            return "seats-import-" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("every Java runtime has SHA-256", missing);
        }
    }

    /** A file that cannot be imported as it is: which line and why. */
    static final class MalformedFile extends Exception {
        MalformedFile(String message) {
            super(message);
        }
    }

    static List<Row> read(Path file) throws IOException, MalformedFile {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new MalformedFile(file + " is empty: a header row naming the columns (at least email) comes first");
            }
            List<String> columns = CsvLine.cells(header.startsWith("\uFEFF") ? header.substring(1) : header).stream()
                    .map(String::trim).toList();
            int email = columns.indexOf("email");
            if (email < 0) {
                throw new MalformedFile("line 1: no column named email (found " + String.join(", ", columns) + ")");
            }
            for (String column : columns) {
                if (!column.equals("email") && !column.equals("userId") && !column.equals("immediateClaim") && !column.startsWith(METADATA_PREFIX)) {
                    throw new MalformedFile("line 1: unknown column " + column + " (email, userId, immediateClaim and metadata.<key> are known)");
                }
            }
            String text;
            long line = 1;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                List<String> cells;
                try {
                    cells = CsvLine.cells(text);
                } catch (IllegalArgumentException unterminated) {
                    throw new MalformedFile("line " + line + ": " + unterminated.getMessage());
                }
                if (cells.size() != columns.size()) {
                    throw new MalformedFile("line " + line + ": " + cells.size() + " cells, the header names " + columns.size());
                }
                rows.add(new Row(line, seat(columns, cells, line)));
            }
        }
        return rows;
    }

    private static AssignSeat seat(List<String> columns, List<String> cells, long line) throws MalformedFile {
        String email = null;
        String userId = null;
        Boolean immediateClaim = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            String value = cells.get(i).trim();
            String column = columns.get(i);
            if (value.isEmpty()) {
                continue;
            }
            switch (column) {
                case "email" -> email = value;
                case "userId" -> userId = value;
                case "immediateClaim" -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new MalformedFile("line " + line + ": immediateClaim is true or false, not " + value);
                    }
                    immediateClaim = Boolean.parseBoolean(value.toLowerCase(Locale.ROOT));
                }
                default -> metadata.put(column.substring(METADATA_PREFIX.length()), value);
            }
        }
        return new AssignSeat(email, immediateClaim, userId, metadata.isEmpty() ? null : metadata);
    }

    private static void summarize(PrintWriter err, int rows, int chunks, long assigned, List<Refusal> refused) {
        err.printf("imported %d rows in %d %s: %d seats assigned, %d rows refused%n", rows, chunks, chunks == 1 ? "request" : "requests", assigned,
                refused.size());
        if (refused.isEmpty()) {
            return;
        }
        Map<String, Integer> byCode = new TreeMap<>();
        refused.forEach(refusal -> byCode.merge(refusal.code(), 1, Integer::sum));
        byCode.forEach((code, count) -> err.printf("  %-28s %d%n", code, count));
        refused.stream().limit(REJECTIONS_SHOWN).forEach(refusal -> err.printf("  line %d: %s%n", refusal.line(), refusal.code()));
        if (refused.size() > REJECTIONS_SHOWN) {
            err.printf("  ... and %d more (--rejected FILE writes them all)%n", refused.size() - REJECTIONS_SHOWN);
        }
    }

    private static void writeRefusals(Path target, List<Refusal> refused) throws IOException {
        try (Writer out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            out.write("line,email,code" + CsvCells.LINE_END);
            for (Refusal refusal : refused) {
                out.write(refusal.line() + "," + CsvCells.cell(refusal.email()) + "," + CsvCells.cell(refusal.code()) + CsvCells.LINE_END);
            }
        }
    }

    /** The import's progress on standard error: a bar redrawn in place on a terminal, a line per request otherwise. */
    static final class Progress {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final long total;
        private final boolean terminal;
        private long sent;
        private boolean drawn;

        Progress(PrintWriter err, long total, boolean terminal) {
            this.err = err;
            this.total = total;
            this.terminal = terminal;
        }

        void advance(int rows, int chunk, int chunks, BulkResult result) {
            sent += rows;
            if (terminal) {
                int filled = total == 0 ? WIDTH : (int) (WIDTH * sent / total);
                err.printf("\r[%s%s] %3d%% %,d/%,d rows", "#".repeat(filled), " ".repeat(WIDTH - filled), total == 0 ? 100 : 100 * sent / total, sent, total);
                drawn = true;
            } else {
                err.printf("request %d of %d: %d rows, %d assigned, %d refused%n", chunk, chunks, rows, result.assigned().size(), result.rejected().size());
            }
            err.flush();
        }

        void done() {
            if (drawn) {
                err.println();
                drawn = false;
            }
        }
    }
}
