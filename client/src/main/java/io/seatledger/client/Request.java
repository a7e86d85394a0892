package io.seatledger.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One logical call: method, path under {@code /api/v1}, query, body, and the organization it concerns (for
 * read-your-writes). A command gets its {@code Idempotency-Key} here, once, so every retry of the call sends the same.
 */
final class Request {

    final String method;
    final String path;
    final Map<String, String> query = new LinkedHashMap<>();
    final String orgId;
    final byte[] body;
    final String contentType;
    final String accept;
    final String idempotencyKey;

    private Request(String method, String path, String orgId, byte[] body, String contentType, String accept) {
        this(method, path, orgId, body, contentType, accept, method.equals("GET") ? null : java.util.UUID.randomUUID().toString());
    }

    private Request(String method, String path, String orgId, byte[] body, String contentType, String accept, String idempotencyKey) {
        this.method = method;
        this.path = path;
        this.orgId = orgId;
        this.body = body;
        this.contentType = contentType;
        this.accept = accept;
        this.idempotencyKey = idempotencyKey;
    }

    static Request read(String orgId, String path) {
        return new Request("GET", path, orgId, null, null, "application/json");
    }

    static Request command(String method, String orgId, String path, Object body) {
        return new Request(method, path, orgId, body == null ? null : Json.MAPPER.writeValueAsBytes(body), body == null ? null : "application/json",
                "application/json");
    }

    static Request commandWithBody(String method, String orgId, String path, byte[] body, String contentType) {
        return new Request(method, path, orgId, body, contentType, "application/json");
    }

    /** This call under the caller's own {@code Idempotency-Key}: the same key in a later run answers what the first run stored. */
    Request withIdempotencyKey(String key) {
        if (!isCommand() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("an idempotency key belongs to a command and is not blank");
        }
        Request keyed = new Request(method, path, orgId, body, contentType, accept, key);
        keyed.query.putAll(query);
        return keyed;
    }

    boolean isCommand() {
        return !method.equals("GET");
    }

    Request param(String name, Object value) {
        if (value != null) {
            query.put(name, String.valueOf(value));
        }
        return this;
    }

    String pathAndQuery() {
        if (query.isEmpty()) {
            return path;
        }
        StringJoiner joined = new StringJoiner("&", path + "?", "");
        query.forEach((name, value) -> joined.add(encode(name) + "=" + encode(value)));
        return joined.toString();
    }

    /** One path segment, percent-encoded (ids are opaque to the client; a user id may hold any character). */
    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("an id in the path must not be empty");
        }
        return encode(value).replace("+", "%20");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
