package io.seatledger.cli;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.CsvLine;
import io.seatledger.auditformat.UtcTimestamps;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The entries of a CSV export (RFC 4180, a header naming the columns; docs/audit-format.md, "Exports"). A cell that
 * starts with an apostrophe loses exactly one (the spreadsheet guard), an empty cell is a null except in
 * {@code actorRoles}, where it is the empty text. No stored text holds a line break, so every entry is one line.
 */
final class CsvEntries implements ExportEntries {

    private static final List<String> COLUMNS = List.of("position", "occurredAt", "actorId", "actorRoles", "requestId", "reason", "action",
            "objectType", "objectId", "poolId", "seatId", "details", "prevHash", "hash", "orgId", "aggregateId", "sequence");

    private final Path file;

    CsvEntries(Path file) {
        this.file = file;
    }

    @Override
    public void forEach(Consumer<CanonicalEntry> sink) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                return;
            }
            List<String> names = cells(header, 1);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);
            }
            if (!index.keySet().containsAll(COLUMNS)) {
                throw new MalformedExport("line 1 is not the header of an audit export (columns " + COLUMNS + ")", null);
            }
            int[] column = COLUMNS.stream().mapToInt(index::get).toArray();
            String line;
            long number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                CanonicalEntry entry;
                try {
                    List<String> cells = cells(line, number);
                    if (cells.size() != names.size()) {
                        throw new IllegalArgumentException(cells.size() + " cells, the header names " + names.size());
                    }
                    String[] v = new String[COLUMNS.size()];
                    for (int i = 0; i < v.length; i++) {
                        String cell = cells.get(column[i]);
                        cell = cell.startsWith("'") ? cell.substring(1) : cell;
                        v[i] = cell.isEmpty() && i != 3 ? null : cell;
                    }
                    entry = new CanonicalEntry(Long.parseLong(v[0]), v[14], v[15], Long.parseLong(v[16]), UtcTimestamps.parse(v[1]), v[2], v[3], v[4],
                            v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]);
                } catch (IllegalArgumentException | NullPointerException | java.time.DateTimeException malformed) {
                    throw new MalformedExport("line " + number + " is not an audit entry: " + malformed.getMessage(), malformed);
                }
                sink.accept(entry);
            }
        }
    }

    private static List<String> cells(String line, long number) {
        try {
            return CsvLine.cells(line);
        } catch (IllegalArgumentException unterminated) {
            throw new MalformedExport("line " + number + " ends inside a quoted cell", null);
        }
    }
}
