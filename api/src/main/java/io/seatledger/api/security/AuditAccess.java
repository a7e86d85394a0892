package io.seatledger.api.security;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.query.organization.OrganizationReader;
import reactor.core.publisher.Mono;

/** History and audit are for auditors, admins and the organization's billing manager (domain state, read from the read model). */
public final class AuditAccess {

    private AuditAccess() {
    }

    public static Mono<Void> require(Caller caller, String orgId, OrganizationReader organizations) {
        if (caller.has(Caller.AUDITOR) || caller.has(Caller.ADMIN)) {
            return Mono.empty();
        }
        return organizations.organization(orgId)
                .filter(organization -> organization.billingManager().userId().equals(caller.userId()))
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.FORBIDDEN,
                        "history and audit are for auditors and the organization's billing manager")))
                .then();
    }
}
