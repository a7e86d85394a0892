package io.seatledger.api.audit.checkpoint;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.security.AuditAccess;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.query.Page;
import io.seatledger.query.audit.CheckpointReader;
import io.seatledger.query.audit.CheckpointReader.CheckpointView;
import io.seatledger.query.organization.OrganizationReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;

/**
 * An organization's signed audit checkpoints: listed for those who may read its audit trail (auditors, admins, its
 * billing manager), made on demand by an auditor. An auditor keeps them to catch a later rewrite of history.
 */
@Tag(name = "Audit checkpoints", description = "Signed checkpoints of the audit trail")
@RestController
@RequestMapping("/api/v1/orgs/{orgId}/audit/checkpoints")
public class CheckpointController {

    private final CheckpointReader checkpoints;
    private final CheckpointSigner signer;
    private final OrganizationReader organizations;

    public CheckpointController(CheckpointReader checkpoints, CheckpointSigner signer, OrganizationReader organizations) {
        this.checkpoints = checkpoints;
        this.signer = signer;
        this.organizations = organizations;
    }

    @Operation(operationId = "listAuditCheckpoints", summary = "List the signed checkpoints, a page at a time")
    @ApiStatuses(problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping
    public Mono<Page<CheckpointView>> list(@PathVariable String orgId, @RequestParam(required = false) Long after,
                                           @RequestParam(required = false) Integer limit, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return AuditAccess.require(caller, tenant, organizations).then(Mono.defer(() -> checkpoints.page(tenant, after, limit)));
    }

    @Operation(operationId = "getAuditCheckpoint", summary = "Read a signed checkpoint")
    @ApiStatuses(problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/{checkpointId}")
    public Mono<CheckpointView> one(@PathVariable String orgId, @PathVariable String checkpointId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return AuditAccess.require(caller, tenant, organizations).then(Mono.defer(() -> checkpoints.one(tenant, checkpointId)))
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.NOT_FOUND, "no such checkpoint")));
    }

    @Operation(operationId = "createAuditCheckpoint", summary = "Sign a checkpoint now (auditors)")
    @ApiStatuses(success = 201, problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @PostMapping
    public Mono<ResponseEntity<CheckpointView>> create(@PathVariable String orgId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        if (!caller.has(Caller.AUDITOR)) {
            return Mono.error(new SeatLedgerException(ErrorCode.FORBIDDEN, "checkpoints are made on demand by auditors"));
        }
        return organizations.organization(tenant)
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.NOT_FOUND, "no such organization")))
                .then(Mono.fromCallable(() -> signer.checkpoint(tenant)).subscribeOn(Schedulers.boundedElastic()))
                .map(checkpoint -> ResponseEntity.created(URI.create("/api/v1/orgs/" + tenant + "/audit/checkpoints/" + checkpoint.checkpointId()))
                        .body(CheckpointReader.view(checkpoint)));
    }
}
