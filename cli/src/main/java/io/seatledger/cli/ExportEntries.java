package io.seatledger.cli;

import io.seatledger.auditformat.CanonicalEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads an audit export's entries one at a time, in file order, holding none: NDJSON ({@link NdjsonEntries}) or CSV
 * ({@link CsvEntries}), told apart by the file's first byte (an NDJSON line starts with a brace).
 */
interface ExportEntries {

    /** Hands every entry to {@code sink}; throws {@link MalformedExport} naming the line of an entry it cannot read. */
    void forEach(Consumer<CanonicalEntry> sink) throws IOException;

    static ExportEntries of(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            int first = in.read();
            while (first == ' ' || first == '\n' || first == '\r' || first == '\t') {
                first = in.read();
            }
            return first == '{' || first == -1 ? new NdjsonEntries(file) : new CsvEntries(file);
        }
    }

    /** An export this tool cannot read (a line that is not an entry); says where. */
    final class MalformedExport extends RuntimeException {
        MalformedExport(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
