package io.seatledger.command.organization;

import io.seatledger.messages.common.AuditMetadata;

/** Who may act as an organization's billing manager: that person, or an admin. */
public record BillingAuthority(String billingManagerUserId) {

    static final String ADMIN_ROLE = "admin";

    public boolean authorizes(AuditMetadata actor) {
        return actor.hasRole(ADMIN_ROLE) || (actor.actorId() != null && actor.actorId().equals(billingManagerUserId));
    }
}
