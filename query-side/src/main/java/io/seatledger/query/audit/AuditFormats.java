package io.seatledger.query.audit;

import io.seatledger.auditformat.CanonicalJson;
import io.seatledger.auditformat.CsvCells;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Renders audit entries for export: pgaudit's log line, CSV (RFC 4180: CRLF, safe to open in a spreadsheet) and NDJSON, one
 * entry per line. Each format carries every input of each entry's hash, exactly (docs/audit-format.md, "Exports").
 */
public final class AuditFormats {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public static final String CSV_HEADER = "position,occurredAt,actorId,actorRoles,requestId,reason,action,objectType,objectId,poolId,seatId,"
            + "details,prevHash,hash,orgId,aggregateId,sequence\r\n";

    private AuditFormats() {
    }

    /**
     * pgaudit's session line: {@code <occurredAt> <actor> LOG:  AUDIT: SESSION,<statementId>,<substatementId>,<class>,<command>,
     * <objectType>,<objectName>,<statement>,<not logged>}. The statement id is the event's global position, there is one
     * sub-statement per event, every event is a WRITE, the command is the event's action, the statement is the entry's
     * details as canonical JSON, and the parameter field (pgaudit's place for a statement's parameters) holds the entry's
     * other hash inputs as canonical JSON: {@code actorId, actorRoles, aggregateId, hash, orgId, poolId, prevHash, reason,
     * requestId, seatId, sequence} (both fields quoted as pgaudit quotes a field holding commas or quotes).
     */
    public static String pgaudit(AuditEntry entry) {
        ObjectNode parameters = JSON.createObjectNode()
                .put("actorId", entry.actor().userId()).put("actorRoles", entry.actorRoles()).put("aggregateId", entry.aggregateId())
                .put("hash", entry.hash()).put("orgId", entry.orgId()).put("poolId", entry.poolId()).put("prevHash", entry.prevHash())
                .put("reason", entry.reason()).put("requestId", entry.requestId()).put("seatId", entry.seatId()).put("sequence", entry.sequence());
        return TIME.format(entry.occurredAt()) + " " + (entry.actor().userId() == null ? "-" : entry.actor().userId())
                + " LOG:  AUDIT: SESSION," + entry.position() + ",1,WRITE," + entry.action() + "," + entry.objectType() + ","
                + csvField(entry.objectId()) + "," + csvField(CanonicalJson.of(entry.details())) + "," + csvField(CanonicalJson.of(parameters)) + "\n";
    }

    /**
     * One CSV line: a column per hash input (roles comma-joined, details as canonical JSON), an empty cell for null.
     * An empty text and a null are both an empty cell: only {@code reason} could be either, and the trail never stores
     * an empty reason (it stores null).
     */
    public static String csv(AuditEntry entry) {
        return Stream.of(String.valueOf(entry.position()), TIME.format(entry.occurredAt()), entry.actor().userId(),
                        entry.actorRoles(), entry.requestId(), entry.reason(), entry.action(), entry.objectType(),
                        entry.objectId(), entry.poolId(), entry.seatId(), CanonicalJson.of(entry.details()), entry.prevHash(), entry.hash(),
                        entry.orgId(), entry.aggregateId(), String.valueOf(entry.sequence()))
                .map(value -> csvField(spreadsheetSafe(value)))
                .collect(Collectors.joining(",", "", "\r\n"));
    }

    public static String ndjson(AuditEntry entry) {
        return JSON.writeValueAsString(entry) + "\n";
    }

    /** See {@link CsvCells#spreadsheetSafe}. */
    static String spreadsheetSafe(String value) {
        return CsvCells.spreadsheetSafe(value);
    }

    /** See {@link CsvCells#quoted}. */
    static String csvField(String value) {
        return CsvCells.quoted(value);
    }
}
