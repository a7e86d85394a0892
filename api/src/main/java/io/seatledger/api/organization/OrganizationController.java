package io.seatledger.api.organization;

import io.seatledger.api.consistency.Dispatch;
import io.seatledger.api.erasure.Sealing;
import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.Ids;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Problem.FieldError;
import io.seatledger.api.http.RequestValues;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.Emails;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.PlainText;
import io.seatledger.messages.common.UserIds;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.organization.AppointBillingManager;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.organization.OrganizationSummary;
import io.seatledger.query.organization.OrganizationReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Organizations: the caller's own, created with the caller as billing manager; its billing manager handed on. */
@Tag(name = "Organizations", description = "The tenant: create it, read it, appoint its billing manager")
@RestController
@RequestMapping("/api/v1/orgs")
public class OrganizationController {

    /** An organization as the API shows it. */
    public record Organization(String orgId, String name, BillingManager billingManager) {
    }

    public record CreateOrganizationRequest(String name) {
    }

    public record BillingManagerRequest(String userId, String email) {
    }

    static final int MAX_NAME_LENGTH = 200;

    private final Dispatch dispatch;
    private final OrganizationReader organizations;
    private final Sealing sealing;

    public OrganizationController(Dispatch dispatch, OrganizationReader organizations, Sealing sealing) {
        this.dispatch = dispatch;
        this.organizations = organizations;
        this.sealing = sealing;
    }

    @Operation(operationId = "createOrganization", summary = "Create the organization the token names (200 when it exists with this name already)")
    @ApiStatuses(success = {201, 200}, problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN})
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<Organization>> create(@RequestBody CreateOrganizationRequest request, @AuthenticationPrincipal Caller caller,
                                                     ServerWebExchange exchange) {
        String orgId = Ids.organization("org", caller.ownOrganization());
        String name = request.name() == null ? null : PlainText.nfc(request.name().trim());
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new InvalidRequest("name", "is required, at most " + MAX_NAME_LENGTH + " characters");
        }
        if (!PlainText.isPlain(request.name())) {
            throw new InvalidRequest("name", "must not contain control characters");
        }
        if (!Emails.isValid(caller.email()) || !PlainText.isPlain(caller.userId())) {
            throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "the token carries no valid e-mail and user id for the billing manager");
        }
        return sealing.sealed(orgId, new BillingManager(caller.userId(), Emails.canonical(caller.email())))
                .flatMap(manager -> dispatch.<OrganizationSummary>send(new CreateOrganization(orgId, name, manager), caller, orgId, exchange))
                .flatMap(summary -> shown(summary.orgId(), summary.name(), summary.billingManager()).map(organization -> summary.created()
                            ? ResponseEntity.created(URI.create("/api/v1/orgs/" + orgId)).body(organization)
                            : ResponseEntity.ok(organization)));
    }

    /** The organization with its billing manager's stored address shown: opened, or {@code "[erased]"}. */
    private Mono<Organization> shown(String orgId, String name, BillingManager manager) {
        return sealing.shown(orgId, manager).map(shown -> new Organization(orgId, name, shown))
                .defaultIfEmpty(new Organization(orgId, name, null));
    }

    @Operation(operationId = "getOrganization", summary = "Read an organization")
    @ApiStatuses(problems = ErrorCode.NOT_FOUND)
    @GetMapping("/{orgId}")
    public Mono<Organization> organization(@PathVariable String orgId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return organizations.organization(tenant)
                .flatMap(view -> shown(view.orgId(), view.name(), view.billingManager()))
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.NOT_FOUND, "no such organization")));
    }

    @Operation(operationId = "appointBillingManager", summary = "Appoint the billing manager")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND})
    @PutMapping(path = "/{orgId}/billing-manager", consumes = "application/json")
    public Mono<Organization> appointBillingManager(@PathVariable String orgId, @RequestBody BillingManagerRequest request,
                                                    @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        List<FieldError> errors = new ArrayList<>();
        if (!UserIds.isValid(request.userId())) {
            errors.add(new FieldError("userId", "is required (at most " + UserIds.MAX_LENGTH + " characters, no control characters)"));
        }
        RequestValues.requireEmail(errors, "email", request.email());
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return sealing.sealed(tenant, new BillingManager(request.userId(), Emails.canonical(request.email())))
                .flatMap(appointed -> dispatch.<OrganizationSummary>send(new AppointBillingManager(tenant, appointed), caller, tenant, exchange))
                .flatMap(summary -> shown(summary.orgId(), summary.name(), summary.billingManager()));
    }
}
