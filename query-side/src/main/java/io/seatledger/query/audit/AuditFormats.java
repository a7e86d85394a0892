package io.seatledger.query.audit;

import tools.jackson.databind.json.JsonMapper;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Renders audit entries for export: pgaudit's log line, CSV (RFC 4180: CRLF, safe to open in a spreadsheet) and NDJSON, one entry per line. */
public final class AuditFormats {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public static final String CSV_HEADER = "position,occurredAt,actorId,actorRoles,requestId,reason,action,objectType,objectId,poolId,seatId,"
            + "details,prevHash,hash\r\n";

    private AuditFormats() {
    }

    /**
     * pgaudit's session line: {@code <occurredAt> <actor> LOG:  AUDIT: SESSION,<statementId>,<substatementId>,<class>,<command>,
     * <objectType>,<objectName>,<statement>,<not logged>}. The statement id is the event's global position, there is one
     * sub-statement per event, every event is a WRITE, the command is the event's action, and the statement is the entry's
     * details as JSON (quoted as pgaudit quotes a field holding commas or quotes).
     */
    public static String pgaudit(AuditEntry entry) {
        return TIME.format(entry.occurredAt()) + " " + (entry.actor().userId() == null ? "-" : entry.actor().userId())
                + " LOG:  AUDIT: SESSION," + entry.position() + ",1,WRITE," + entry.action() + "," + entry.objectType() + ","
                + csvField(entry.objectId()) + "," + csvField(JSON.writeValueAsString(entry.details())) + ",<not logged>\n";
    }

    public static String csv(AuditEntry entry) {
        return Stream.of(String.valueOf(entry.position()), TIME.format(entry.occurredAt()), entry.actor().userId(),
                        String.join(";", entry.actor().roles()), entry.requestId(), entry.reason(), entry.action(), entry.objectType(),
                        entry.objectId(), entry.poolId(), entry.seatId(), JSON.writeValueAsString(entry.details()), entry.prevHash(), entry.hash())
                .map(value -> csvField(spreadsheetSafe(value)))
                .collect(Collectors.joining(",", "", "\r\n"));
    }

    public static String ndjson(AuditEntry entry) {
        return JSON.writeValueAsString(entry) + "\n";
    }

    /**
     * A cell a spreadsheet would run as a formula ({@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return
     * first) gets a leading apostrophe, which spreadsheets show as text (OWASP's CSV injection advice). A reader
     * recomputing a hash drops that one apostrophe from such cells (docs/audit-format.md).
     */
    static String spreadsheetSafe(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + value : value;
    }

    /** RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. */
    static String csvField(String value) {
        if (value == null) {
            return "";
        }
        if (value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
