package io.seatledger.api.billing;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.Ids;
import io.seatledger.api.security.Caller;
import io.seatledger.billing.reconciliation.ReconciliationReport;
import io.seatledger.billing.reconciliation.ReconciliationStore;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.util.UUID;

/**
 * Reconciliations on demand (role {@code service} or {@code admin}) and their stored reports. A request made while
 * another reconciliation runs (scheduled or asked for, on any instance) is answered once that one and its own have run.
 */
@Tag(name = "Billing")
@RestController
@RequestMapping("/api/v1/billing/reconciliations")
public class ReconciliationController {

    private final OneReconciliationAtATime reconciliation;
    private final ReconciliationStore store;

    public ReconciliationController(OneReconciliationAtATime reconciliation, ReconciliationStore store) {
        this.reconciliation = reconciliation;
        this.store = store;
    }

    @Operation(operationId = "runReconciliation", summary = "Reconcile every pool with Stripe now (service or admin)")
    @ApiStatuses(success = 201, problems = ErrorCode.FORBIDDEN)
    @PostMapping
    public Mono<ResponseEntity<ReconciliationReport>> run(@AuthenticationPrincipal Caller caller) {
        caller.require(Caller.SERVICE, Caller.ADMIN);
        return Mono.fromCallable(() -> reconciliation.runIfIdle(caller.userId()))
                .subscribeOn(Schedulers.boundedElastic())
                .map(report -> ResponseEntity.created(URI.create("/api/v1/billing/reconciliations/" + report.id())).body(report));
    }

    @Operation(operationId = "getReconciliation", summary = "Read a reconciliation report")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/{id}")
    public Mono<ReconciliationReport> report(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        caller.require(Caller.SERVICE, Caller.ADMIN);
        UUID reportId = UUID.fromString(Ids.uuid("id", id));
        return Mono.fromCallable(() -> store.find(reportId))
                .subscribeOn(Schedulers.boundedElastic())
                .map(found -> found.orElseThrow(() -> new SeatLedgerException(ErrorCode.NOT_FOUND, "no such reconciliation")));
    }
}
