package io.seatledger.api.erasure;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Problem.FieldError;
import io.seatledger.api.http.RequestIds;
import io.seatledger.api.http.RequestValues;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.query.organization.OrganizationReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Erasure of a person's e-mail address from an organization (GDPR Art. 17), by its billing manager or an admin. */
@Tag(name = "Erasures", description = "Erasing a person's data (crypto-shredding)")
@RestController
@RequestMapping("/api/v1/orgs/{orgId}/erasures")
public class ErasureController {

    public record ErasureRequest(String email) {
    }

    private final Erasures erasures;
    private final OrganizationReader organizations;

    public ErasureController(Erasures erasures, OrganizationReader organizations) {
        this.erasures = erasures;
        this.organizations = organizations;
    }

    @Operation(operationId = "requestErasure", summary = "Erase a person's personal data (202: it completes in the background)")
    @ApiStatuses(success = 202, problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<Erasure>> erase(@PathVariable String orgId, @RequestBody ErasureRequest request, @AuthenticationPrincipal Caller caller,
                                               ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        List<FieldError> errors = new ArrayList<>();
        RequestValues.requireEmail(errors, "email", request.email());
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        return authorized(caller, tenant)
                .then(Mono.fromCallable(() -> erasures.erase(tenant, request.email(), caller.inRequest(tenant, RequestIds.of(exchange), Erasures.REASON)))
                        .subscribeOn(Schedulers.boundedElastic()))
                .map(erasure -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .location(URI.create("/api/v1/orgs/" + tenant + "/erasures/" + erasure.erasureId())).body(erasure));
    }

    @Operation(operationId = "getErasure", summary = "Read an erasure's progress")
    @ApiStatuses(problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/{erasureId}")
    public Mono<Erasure> erasure(@PathVariable String orgId, @PathVariable String erasureId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return authorized(caller, tenant)
                .then(Mono.fromCallable(() -> erasures.find(tenant, erasureId)).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(Mono::justOrEmpty)
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.NOT_FOUND, "no such erasure")));
    }

    /** Admins, and the organization's billing manager. */
    private Mono<Void> authorized(Caller caller, String tenant) {
        if (caller.has(Caller.ADMIN)) {
            return Mono.empty();
        }
        return organizations.organization(tenant)
                .filter(organization -> organization.billingManager() != null && caller.userId().equals(organization.billingManager().userId()))
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.FORBIDDEN, "only the billing manager or an admin may erase personal data")))
                .then();
    }
}
