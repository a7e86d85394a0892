package io.seatledger.cli;

import io.seatledger.auditformat.Checkpoint;
import io.seatledger.auditformat.SigningKeys;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads what an auditor kept: checkpoints ({@code {orgId?, items: [...]}} as {@code audit checkpoints} writes it, a
 * page of {@code GET …/audit/checkpoints}, or a bare array of checkpoints) and the JWKS of {@code GET /audit/keys}.
 */
final class CheckpointFiles {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The checkpoints of a file and the organization it names, if it names one. */
    record Kept(String orgId, List<JsonNode> items) {

        /** The checkpoints, as checkpoints of {@code orgId}. */
        List<Checkpoint> of(String orgId) {
            List<Checkpoint> checkpoints = new ArrayList<>();
            for (JsonNode item : items) {
                checkpoints.add(new Checkpoint(text(item, "checkpointId"), orgId, item.required("upTo").asLong(), text(item, "headHash"),
                        Instant.parse(text(item, "signedAt")), text(item, "keyId"), text(item, "signature")));
            }
            return checkpoints;
        }
    }

    private CheckpointFiles() {
    }

    static Kept checkpoints(Path file) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(file));
        JsonNode items = root.isArray() ? root : root.get("items");
        if (items == null || !items.isArray()) {
            throw new IllegalArgumentException(file + " holds no checkpoints (an array, or an object with \"items\")");
        }
        List<JsonNode> list = new ArrayList<>();
        items.forEach(list::add);
        return new Kept(root.isObject() && root.hasNonNull("orgId") ? root.get("orgId").asString() : null, list);
    }

    static Map<String, PublicKey> keys(Path file) throws IOException {
        return SigningKeys.fromJwks(JSON.readTree(Files.readString(file)));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("a checkpoint's " + field + " is a string");
        }
        return value.asString();
    }
}
