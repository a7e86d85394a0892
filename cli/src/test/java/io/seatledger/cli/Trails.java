package io.seatledger.cli;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.EntryHash;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Trails for tests: chained entries of an organization and a pool, written as the service's NDJSON and CSV exports. */
final class Trails {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Trails() {
    }

    /** {@code count} entries alternating between the organization's aggregate and two pools, positions rising with gaps. */
    static List<CanonicalEntry> trail(int count) {
        List<CanonicalEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String aggregate = i % 3 == 0 ? "org-1" : i % 3 == 1 ? "pool-a" : "pool-b";
            String details = "{\"email\":\"user" + i + "@example.com\",\"note\":\"=1+1, \\\"quoted\\\" \u00e9\",\"seats\":" + i + "}";
            entries.add(new CanonicalEntry(100L + 3L * i, "org-1", aggregate, 0, Instant.parse("2026-12-01T10:00:00.123456Z").plusSeconds(i),
                    i % 2 == 0 ? "user-ada" : null, i % 2 == 0 ? "auditor,billing-manager" : "", "req-" + i, i % 4 == 0 ? "-left" : null,
                    "SeatAssigned", "seat", "seat-" + i, aggregate.startsWith("pool") ? aggregate : null, "seat-" + i, details, null, null));
        }
        return rechain(entries);
    }

    /** The entries with each aggregate's sequences, links and hashes recomputed in order. */
    static List<CanonicalEntry> rechain(List<CanonicalEntry> entries) {
        EntryHash hasher = new EntryHash();
        java.util.Map<String, CanonicalEntry> heads = new java.util.HashMap<>();
        List<CanonicalEntry> chained = new ArrayList<>();
        for (CanonicalEntry entry : entries) {
            CanonicalEntry head = heads.get(entry.aggregateId());
            CanonicalEntry linked = new CanonicalEntry(entry.position(), entry.orgId(), entry.aggregateId(), head == null ? 0 : head.sequence() + 1,
                    entry.occurredAt(), entry.actorId(), entry.actorRoles(), entry.requestId(), entry.reason(), entry.action(), entry.objectType(),
                    entry.objectId(), entry.poolId(), entry.seatId(), entry.details(), head == null ? null : head.hash(), null);
            linked = linked.chained(linked.prevHash(), hasher.hex(linked));
            heads.put(entry.aggregateId(), linked);
            chained.add(linked);
        }
        return chained;
    }

    static Path ndjson(Path file, List<CanonicalEntry> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); NdjsonWriter writer = new NdjsonWriter(out)) {
            entries.forEach(writer::write);
        }
        return file;
    }

    static Path csv(Path file, List<CanonicalEntry> entries) throws IOException {
        StringBuilder csv = new StringBuilder("position,occurredAt,actorId,actorRoles,requestId,reason,action,objectType,objectId,poolId,seatId,"
                + "details,prevHash,hash,orgId,aggregateId,sequence\r\n");
        for (CanonicalEntry e : entries) {
            csv.append(Stream.of(String.valueOf(e.position()), TIME.format(e.occurredAt()), e.actorId(), e.actorRoles(), e.requestId(), e.reason(),
                            e.action(), e.objectType(), e.objectId(), e.poolId(), e.seatId(), e.details(), e.prevHash(), e.hash(), e.orgId(),
                            e.aggregateId(), String.valueOf(e.sequence()))
                    .map(Trails::cell).collect(Collectors.joining(",", "", "\r\n")));
        }
        Files.writeString(file, csv);
        return file;
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "'=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.chars().anyMatch(c -> c == ',' || c == '"') ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
    }
}
