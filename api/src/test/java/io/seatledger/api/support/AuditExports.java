package io.seatledger.api.support;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.CanonicalJson;
import io.seatledger.auditformat.ChainVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the service's audit exports as an auditor's tool would: each NDJSON line back into the entry its hash covers. */
public final class AuditExports {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditExports() {
    }

    /** The entry an NDJSON export's object records. */
    public static CanonicalEntry entry(JsonNode entry) {
        List<String> roles = new ArrayList<>();
        entry.get("actor").get("roles").forEach(role -> roles.add(role.asString()));
        return new CanonicalEntry(entry.get("position").asLong(), entry.get("orgId").asString(), entry.get("aggregateId").asString(),
                entry.get("sequence").asLong(), Instant.parse(entry.get("occurredAt").asString()), text(entry.get("actor"), "userId"),
                String.join(",", roles.stream().sorted().toList()), text(entry, "requestId"), text(entry, "reason"), entry.get("action").asString(),
                entry.get("objectType").asString(), entry.get("objectId").asString(), text(entry, "poolId"), text(entry, "seatId"),
                CanonicalJson.of(entry.get("details")), text(entry, "prevHash"), text(entry, "hash"));
    }

    /** The offline verdict over a whole NDJSON export. */
    public static ChainVerifier.Verdict verify(String ndjson) {
        ChainVerifier verifier = new ChainVerifier();
        ndjson.lines().filter(line -> !line.isBlank()).forEach(line -> verifier.accept(entry(JSON.readTree(line))));
        return verifier.verdict();
    }

    /** A field's text, null when absent or null. */
    public static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asString() : null;
    }
}
