package io.seatledger.api.seatpool;

import io.seatledger.api.erasure.ErasedDetails;
import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.api.consistency.Dispatch;
import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.Ids;
import io.seatledger.api.http.RequestValues;
import io.seatledger.api.security.AuditAccess;
import io.seatledger.api.security.Caller;
import io.seatledger.command.pricing.Proration;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.pricing.ResizePreview;
import io.seatledger.messages.seatpool.CancelSeatPool;
import io.seatledger.messages.seatpool.ChangeBillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.messages.seatpool.PoolState;
import io.seatledger.messages.seatpool.ResizeOutcome;
import io.seatledger.messages.seatpool.ResizeResult;
import io.seatledger.messages.seatpool.ResizeSeatPool;
import io.seatledger.query.seatpool.PoolHistory;
import io.seatledger.query.seatpool.SeatPoolReader;
import io.seatledger.query.seatpool.SeatPoolView;
import io.seatledger.query.Page;
import io.seatledger.query.organization.OrganizationReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Seat pools: buy, list, read (also as of an instant), history, resize (and its preview), interval, cancel. */
@Tag(name = "Seat pools", description = "Bought seats: purchase, list, read (also as of an instant), history, resize, interval, cancel")
@RestController
@RequestMapping("/api/v1/orgs/{orgId}/seat-pools")
public class SeatPoolController {


    /** A page of a pool's history, as the JSON answer has it ({@code Page<PoolHistory.Entry>}, for the document). */
    @Schema(name = "PoolHistoryPage")
    record HistoryPage(List<HistoryEntry> items, @Schema(description = "The after of the next page; null on the last") String next) {
    }

    /** One event of a pool's history ({@link PoolHistory.Entry}, for the document). */
    @Schema(name = "PoolHistoryEntry")
    record HistoryEntry(long sequence, Long globalPosition, @Schema(description = "The event's type, e.g. SeatAssigned") String type,
                        Instant occurredAt, @Schema(description = "The event as stored (erased personal data shown as erased)") Map<String, Object> payload,
                        PoolHistory.EventMetadata metadata) {
    }

    private final Dispatch dispatch;
    private final SeatPoolReader pools;
    private final PoolHistory history;
    private final ErasedDetails erased;
    private final OrganizationReader organizations;
    private final Clock clock;
    private final int maxPoolSeats;

    public SeatPoolController(Dispatch dispatch, SeatPoolReader pools, PoolHistory history,
                              OrganizationReader organizations, Clock clock, SeatLedgerProperties properties, ErasedDetails erased) {
        this.dispatch = dispatch;
        this.erased = erased;
        this.pools = pools;
        this.history = history;
        this.organizations = organizations;
        this.clock = clock;
        this.maxPoolSeats = properties.seats().maxPoolSeats();
    }

    @Operation(operationId = "purchaseSeatPool", summary = "Buy a seat pool (manually invoiced)")
    @ApiStatuses(success = 201, problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<SeatPoolResource>> purchase(@PathVariable String orgId, @RequestBody SeatPoolRequests.Purchase request,
                                                           @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        request.validate(maxPoolSeats);
        String poolId = RequestValues.newId(exchange, "pool");
        PurchaseSeatPool command = new PurchaseSeatPool(poolId, tenant, request.kind(), request.seats(), request.pricing(), request.interval(), null);
        return dispatch.<PoolState>send(command, caller, tenant, exchange)
                .map(SeatPoolResource::of)
                .map(pool -> ResponseEntity.created(URI.create("/api/v1/orgs/" + tenant + "/seat-pools/" + poolId)).body(pool));
    }

    @Operation(operationId = "listSeatPools", summary = "List the seat pools, a page at a time")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND})
    @GetMapping
    public Mono<SeatPoolResource.PoolPage> pools(@PathVariable String orgId, @RequestParam(required = false) String status,
                                                 @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                                                 @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return pools.pools(tenant, RequestValues.enumValue("status", status, PoolStatus.class), cursor, limit).map(SeatPoolResource.PoolPage::of);
    }

    @Operation(operationId = "getSeatPool", summary = "Read a seat pool, now or as of an instant")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND})
    @GetMapping("/{poolId}")
    public Mono<SeatPoolResource> pool(@PathVariable String orgId, @PathVariable String poolId, @RequestParam(required = false) String asOf,
                                       @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        Mono<SeatPoolView> view = asOf == null ? pools.pool(tenant, pool) : history.asOf(tenant, pool, RequestValues.instant("asOf", asOf));
        return view.map(SeatPoolResource::of).switchIfEmpty(notFound());
    }

    @Operation(operationId = "getSeatPoolHistory", summary = "Read a seat pool's events, a page at a time",
            responses = @ApiResponse(responseCode = "200", description = "OK",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = HistoryPage.class))))
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/{poolId}/history")
    public Mono<Page<PoolHistory.Entry>> history(@PathVariable String orgId, @PathVariable String poolId,
                                                 @RequestParam(required = false) Long after, @RequestParam(required = false) Integer limit,
                                                 @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        return AuditAccess.require(caller, tenant, organizations)
                .then(pools.pool(tenant, pool).switchIfEmpty(notFound()))
                .then(history.events(tenant, pool, after, limit))
                .publishOn(Schedulers.boundedElastic())
                .map(page -> erased.shownHistory(tenant, page));
    }

    @Operation(operationId = "previewSeatPoolResize", summary = "Price a resize without making it")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND, ErrorCode.POOL_NOT_RESIZABLE})
    @PostMapping(path = "/{poolId}/resize-preview", consumes = "application/json")
    public Mono<ResizePreview> resizePreview(@PathVariable String orgId, @PathVariable String poolId, @RequestBody SeatPoolRequests.Preview request,
                                             @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        request.validate(maxPoolSeats);
        Instant at = request.at() == null ? clock.instant() : request.at();
        return pools.pool(tenant, pool).switchIfEmpty(notFound()).map(view -> {
            if (view.kind() == PoolKind.ORDER) {
                throw new SeatLedgerException(ErrorCode.POOL_NOT_RESIZABLE, "an order is fixed; buy another pool instead");
            }
            return Proration.preview(view.pricing(), view.capacity(), request.seats(), view.currentPeriod(), request.effective(), at);
        });
    }

    @Operation(operationId = "resizeSeatPool", summary = "Resize a seat pool (202 while the payment provider confirms)")
    @ApiStatuses(success = {200, 202}, problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND,
            ErrorCode.RESIZE_BELOW_OCCUPIED, ErrorCode.POOL_NOT_RESIZABLE, ErrorCode.POOL_NOT_ACTIVE})
    @PatchMapping(path = "/{poolId}", consumes = "application/json")
    public Mono<ResponseEntity<SeatPoolResource>> resize(@PathVariable String orgId, @PathVariable String poolId,
                                                         @RequestBody SeatPoolRequests.Resize request, @AuthenticationPrincipal Caller caller,
                                                         ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        request.validate(maxPoolSeats);
        ResizeSeatPool command = new ResizeSeatPool(pool, tenant, request.seats(), request.effective(), request.proration());
        return dispatch.<ResizeResult>send(command, caller, tenant, exchange)
                .map(resize -> ResponseEntity.status(resize.outcome() == ResizeOutcome.AWAITING_PROVIDER ? HttpStatus.ACCEPTED : HttpStatus.OK)
                        .body(SeatPoolResource.of(resize.pool())));
    }

    @Operation(operationId = "changeBillingInterval", summary = "Change a subscription's billing interval")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.POOL_NOT_ACTIVE})
    @PostMapping(path = "/{poolId}/interval", consumes = "application/json")
    public Mono<SeatPoolResource> changeInterval(@PathVariable String orgId, @PathVariable String poolId,
                                                 @RequestBody SeatPoolRequests.IntervalChange request, @AuthenticationPrincipal Caller caller,
                                                 ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        request.validate();
        return dispatch.<PoolState>send(new ChangeBillingInterval(pool, tenant, request.interval()), caller, tenant, exchange).map(SeatPoolResource::of);
    }

    @Operation(operationId = "cancelSeatPool", summary = "Cancel a seat pool, now or at the period's end")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.POOL_NOT_ACTIVE})
    @PostMapping(path = "/{poolId}/cancel", consumes = "application/json")
    public Mono<SeatPoolResource> cancel(@PathVariable String orgId, @PathVariable String poolId, @RequestBody SeatPoolRequests.Cancellation request,
                                         @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        request.validate();
        return dispatch.<PoolState>send(new CancelSeatPool(pool, tenant, request.atPeriodEnd()), caller, tenant, exchange).map(SeatPoolResource::of);
    }

    private static <T> Mono<T> notFound() {
        return Mono.error(new SeatLedgerException(ErrorCode.NOT_FOUND, "no such seat pool"));
    }
}
