package io.seatledger.api.query;

import io.seatledger.auditformat.CsvLine;
import io.seatledger.query.audit.AuditEntry;
import io.seatledger.query.audit.AuditFormats;
import io.seatledger.query.seatpool.PoolHistory;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Audit CSV exports open safely in a spreadsheet: no cell runs as a formula, and lines end in CRLF (RFC 4180). */
class AuditCsvTest {

    @Test
    void cellsThatASpreadsheetWouldRunAreNeutralized() {
        for (String hostile : List.of("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tcmd", "\r=1", "'=1")) {
            String line = AuditFormats.csv(entry(hostile));
            List<String> cells = cells(line);
            assertThat(cells.get(2)).as(hostile).startsWith("'").isEqualTo("'" + hostile);
            assertThat(cells.get(5)).as("reason " + hostile).isEqualTo("'" + hostile);
        }
    }

    @Test
    void ordinaryCellsAreUnchanged() {
        List<String> cells = cells(AuditFormats.csv(entry("user-ada")));
        assertThat(cells.get(2)).isEqualTo("user-ada");
        assertThat(cells.get(5)).isEqualTo("user-ada");
        assertThat(cells.get(0)).isEqualTo("42");
    }

    @Test
    void linesEndInCrLf() {
        assertThat(AuditFormats.CSV_HEADER).endsWith("hash,orgId,aggregateId,sequence\r\n").doesNotContain("\n\n");
        String line = AuditFormats.csv(entry("ann"));
        assertThat(line).endsWith("\r\n");
        assertThat(line.substring(0, line.length() - 2)).doesNotContain("\r\n");
    }

    private static AuditEntry entry(String actorAndReason) {
        return new AuditEntry(42, "org-1", "pool-1", 3, Instant.parse("2026-12-01T10:00:00Z"), new PoolHistory.Actor(actorAndReason, Set.of("auditor")), "request-1",
                actorAndReason, "SeatRevoked", "seat", "seat-1", "pool-1", "seat-1", JsonMapper.builder().build().valueToTree(Map.of("email", "ann@example.com")), "00", "11");
    }

    /** The cells of one exported line, its CRLF left off. */
    private static List<String> cells(String line) {
        assertThat(line).endsWith("\r\n");
        return CsvLine.cells(line.substring(0, line.length() - 2));
    }
}
