package io.seatledger.api.security;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, as the bearer token says: the user, the tenant (only ever from the token's {@code org}
 * claim), the e-mail and the roles. Billing-manager authority is not here: it is the organization's state.
 */
public record Caller(String userId, String orgId, String email, Set<String> roles) {

    public static final String ADMIN = "admin";
    public static final String AUDITOR = "auditor";
    public static final String SERVICE = "service";
    public static final Set<String> ROLES = Set.of(ADMIN, AUDITOR, SERVICE);

    public static Caller of(Jwt jwt) {
        return new Caller(jwt.getSubject(), jwt.getClaimAsString("org"), jwt.getClaimAsString("email"), roles(jwt.getClaim("roles")));
    }

    private static Set<String> roles(Object claim) {
        Collection<?> values = claim instanceof Collection<?> list ? list : claim instanceof String one ? List.of(one.split("[ ,]")) : List.of();
        return values.stream().map(String::valueOf).filter(ROLES::contains).collect(Collectors.toUnmodifiableSet());
    }

    /** Whose limits (rates, streams) this caller's requests count against: its organization, or itself when the token names none. */
    public String accountable() {
        return orgId != null && !orgId.isBlank() ? orgId : "user:" + userId;
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /**
     * The organization a path names, if this caller may see it. Another tenant's organization does not
     * exist for the caller (404), so that probing reveals nothing; admins see every organization.
     */
    public String tenant(String pathOrgId) {
        if (mayRead(pathOrgId)) {
            return pathOrgId;
        }
        throw new SeatLedgerException(ErrorCode.NOT_FOUND, "no such organization");
    }

    /** Whether the organization a path names exists for this caller: its own, or any for an admin. */
    public boolean mayRead(String pathOrgId) {
        return has(ADMIN) || pathOrgId.equals(orgId);
    }

    /** The caller's own organization; a token without one cannot act on any. */
    public String ownOrganization() {
        if (orgId == null || orgId.isBlank()) {
            throw new SeatLedgerException(ErrorCode.FORBIDDEN, "the token names no organization");
        }
        return orgId;
    }

    public void require(String role, String... alternatives) {
        if (has(role)) {
            return;
        }
        for (String alternative : alternatives) {
            if (has(alternative)) {
                return;
            }
        }
        throw new SeatLedgerException(ErrorCode.FORBIDDEN, "this needs the role " + role);
    }

    /** This caller acting on {@code orgId} in a request, for the reason it gave (empty if none). */
    public AuditMetadata inRequest(String orgId, String requestId, String reason) {
        return new AuditMetadata(userId, roles, requestId, reason, orgId);
    }
}
