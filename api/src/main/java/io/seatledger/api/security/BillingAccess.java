package io.seatledger.api.security;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.query.organization.OrganizationReader;
import reactor.core.publisher.Mono;

/**
 * An organization's money (its charges) is for its billing manager, admins, and services (the billing job that invoices
 * from it), read from the read model like {@link AuditAccess}.
 */
public final class BillingAccess {

    private BillingAccess() {
    }

    public static Mono<Void> require(Caller caller, String orgId, OrganizationReader organizations) {
        if (caller.has(Caller.ADMIN) || caller.has(Caller.SERVICE)) {
            return Mono.empty();
        }
        return organizations.organization(orgId)
                .filter(organization -> organization.billingManager().userId().equals(caller.userId()))
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.FORBIDDEN,
                        "charges are for the organization's billing manager, admins and services")))
                .then();
    }
}
