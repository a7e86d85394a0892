package io.seatledger.cli;

import io.seatledger.auditformat.CanonicalEntry;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes entries as the service's NDJSON export does (one object a line, {@code details} as its canonical JSON). */
final class NdjsonWriter implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final JsonGenerator out;

    NdjsonWriter(OutputStream stream) {
        this.out = JSON.createGenerator(stream);
    }

    void write(CanonicalEntry entry) {
        out.writeStartObject();
        out.writeNumberProperty("position", entry.position());
        out.writeStringProperty("orgId", entry.orgId());
        out.writeStringProperty("aggregateId", entry.aggregateId());
        out.writeNumberProperty("sequence", entry.sequence());
        out.writeStringProperty("occurredAt", TIME.format(entry.occurredAt()));
        out.writeName("actor");
        out.writeStartObject();
        out.writeStringProperty("userId", entry.actorId());
        out.writeName("roles");
        out.writeStartArray();
        if (!entry.actorRoles().isEmpty()) {
            for (String role : entry.actorRoles().split(",")) {
                out.writeString(role);
            }
        }
        out.writeEndArray();
        out.writeEndObject();
        out.writeStringProperty("requestId", entry.requestId());
        out.writeStringProperty("reason", entry.reason());
        out.writeStringProperty("action", entry.action());
        out.writeStringProperty("objectType", entry.objectType());
        out.writeStringProperty("objectId", entry.objectId());
        out.writeStringProperty("poolId", entry.poolId());
        out.writeStringProperty("seatId", entry.seatId());
        out.writeName("details");
        out.writeRawValue(entry.details());
        out.writeStringProperty("prevHash", entry.prevHash());
        out.writeStringProperty("hash", entry.hash());
        out.writeEndObject();
        out.writeRaw('\n');
    }

    @Override
    public void close() {
        out.close();
    }
}
