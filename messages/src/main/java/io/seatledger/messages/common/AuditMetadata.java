package io.seatledger.messages.common;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who did what, why, and for which tenant: the metadata every command carries and every event
 * inherits (Axon copies these keys from the command onto the events it causes).
 */
public record AuditMetadata(String actorId, Set<String> roles, String requestId, String reason, String orgId) {

    public static final String ACTOR_ID = "actorId";
    public static final String ACTOR_ROLES = "actorRoles";
    public static final String REQUEST_ID = "requestId";
    public static final String REASON = "reason";
    public static final String ORG_ID = "orgId";
    public static final List<String> KEYS = List.of(ACTOR_ID, ACTOR_ROLES, REQUEST_ID, REASON, ORG_ID);

    /** The actor recorded for what the system decides by itself (expiries, period ends, grace ends). */
    public static final String SYSTEM_ACTOR = "system";

    public static AuditMetadata system(String orgId, String requestId, String reason) {
        return new AuditMetadata(SYSTEM_ACTOR, Set.of(SYSTEM_ACTOR), requestId, reason, orgId);
    }

    public Map<String, String> asMap() {
        return Map.of(
                ACTOR_ID, actorId,
                ACTOR_ROLES, String.join(",", roles.stream().sorted().toList()),
                REQUEST_ID, requestId,
                REASON, reason == null ? "" : reason,
                ORG_ID, orgId);
    }

    public static AuditMetadata from(Map<String, ?> metaData) {
        return new AuditMetadata(
                string(metaData, ACTOR_ID),
                parseRoles(string(metaData, ACTOR_ROLES)),
                string(metaData, REQUEST_ID),
                string(metaData, REASON),
                string(metaData, ORG_ID));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    private static String string(Map<String, ?> metaData, String key) {
        Object value = metaData.get(key);
        return value == null ? null : value.toString();
    }

    private static Set<String> parseRoles(String roles) {
        if (roles == null || roles.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
