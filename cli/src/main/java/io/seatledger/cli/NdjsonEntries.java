package io.seatledger.cli;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.CanonicalJson;
import io.seatledger.auditformat.UtcTimestamps;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The entries of an NDJSON export (docs/audit-format.md, "Exports"), read with Jackson's streaming parser: one object
 * per line, its fields taken in any order, unknown ones skipped; {@code details} is canonicalized, the actor's roles
 * sorted and comma-joined. Duplicate member names are refused: an entry must mean one thing.
 */
final class NdjsonEntries implements ExportEntries {

    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Path file;

    NdjsonEntries(Path file) {
        this.file = file;
    }

    @Override
    public void forEach(Consumer<CanonicalEntry> sink) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser parser = JSON.createParser(in)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                long line = parser.currentTokenLocation().getLineNr();
                if (token != JsonToken.START_OBJECT) {
                    throw new MalformedExport("line " + line + " is not a JSON object", null);
                }
                CanonicalEntry entry;
                try {
                    entry = entry(parser);
                } catch (JacksonException | IllegalArgumentException | NullPointerException | java.time.DateTimeException malformed) {
                    throw new MalformedExport("line " + line + " is not an audit entry: " + malformed.getMessage(), malformed);
                }
                sink.accept(entry);
            }
        } catch (JacksonException malformed) {
            throw new MalformedExport("not JSON: " + malformed.getOriginalMessage(), malformed);
        }
    }

    private static CanonicalEntry entry(JsonParser parser) {
        Long position = null;
        Long sequence = null;
        String orgId = null, aggregateId = null, requestId = null, reason = null, action = null, objectType = null, objectId = null;
        String poolId = null, seatId = null, details = null, prevHash = null, hash = null, actorId = null, roles = null;
        Instant occurredAt = null;
        String name;
        while ((name = parser.nextName()) != null) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "position" -> position = number(parser, value);
                case "sequence" -> sequence = number(parser, value);
                case "orgId" -> orgId = text(parser, value);
                case "aggregateId" -> aggregateId = text(parser, value);
                case "occurredAt" -> occurredAt = UtcTimestamps.parse(text(parser, value));
                case "requestId" -> requestId = text(parser, value);
                case "reason" -> reason = text(parser, value);
                case "action" -> action = text(parser, value);
                case "objectType" -> objectType = text(parser, value);
                case "objectId" -> objectId = text(parser, value);
                case "poolId" -> poolId = text(parser, value);
                case "seatId" -> seatId = text(parser, value);
                case "prevHash" -> prevHash = text(parser, value);
                case "hash" -> hash = text(parser, value);
                case "details" -> {
                    if (value != JsonToken.START_OBJECT) {
                        throw new IllegalArgumentException("details is an object");
                    }
                    details = CanonicalJson.of(parser);
                }
                case "actor" -> {
                    if (value != JsonToken.START_OBJECT) {
                        throw new IllegalArgumentException("actor is an object");
                    }
                    String field;
                    while ((field = parser.nextName()) != null) {
                        JsonToken member = parser.nextToken();
                        if (field.equals("userId")) {
                            actorId = text(parser, member);
                        } else if (field.equals("roles")) {
                            roles = roles(parser, member);
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (position == null || sequence == null) {
            throw new IllegalArgumentException("position and sequence are required");
        }
        return new CanonicalEntry(position, orgId, aggregateId, sequence, occurredAt, actorId, roles, requestId, reason, action, objectType,
                objectId, poolId, seatId, details, prevHash, hash);
    }

    private static Long number(JsonParser parser, JsonToken value) {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException(parser.currentName() + " is an integer");
        }
        return parser.getLongValue();
    }

    private static String text(JsonParser parser, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(parser.currentName() + " is a string or null");
        }
        return parser.getString();
    }

    /** The roles sorted by UTF-16 code units and joined with commas, as the hash covers them. */
    private static String roles(JsonParser parser, JsonToken value) {
        if (value != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("roles is an array");
        }
        List<String> roles = new ArrayList<>(2);
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("a role is a string");
            }
            roles.add(parser.getString());
        }
        if (roles.size() == 1) {
            return roles.get(0);
        }
        Collections.sort(roles);
        return String.join(",", roles);
    }
}
