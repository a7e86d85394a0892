package io.seatledger.api.charge;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.Exports;
import io.seatledger.api.http.Ids;
import io.seatledger.api.http.RequestValues;
import io.seatledger.api.security.BillingAccess;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.query.Cursor;
import io.seatledger.query.charge.ChargeFormats;
import io.seatledger.query.charge.ChargeLine;
import io.seatledger.query.charge.ChargeReader;
import io.seatledger.query.organization.OrganizationReader;
import io.seatledger.query.seatpool.SeatPoolReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The charges of an organization's pools, or of one pool, for its billing manager, admins and services: JSON pages, or
 * everything matching streamed as NDJSON or CSV ({@code Accept}). Manually invoiced pools' purchases, renewals and
 * prorations, and refunds of payments Stripe took (docs/decisions.md, "Charges").
 */
@Tag(name = "Charges", description = "What manually invoiced pools cost, for invoicing and reconciliation")
@RestController
@RequestMapping("/api/v1/orgs/{orgId}")
public class ChargeController {

    /** A page of charges, as the JSON answer has it (the document's name for the page of charge lines). */
    @Schema(name = "ChargePage")
    record ChargePage(List<ChargeLine> items, @Schema(description = "The cursor of the next page; null on the last") String next) {
    }

    private final ChargeReader charges;
    private final SeatPoolReader pools;
    private final OrganizationReader organizations;
    private final JsonMapper json;

    public ChargeController(ChargeReader charges, SeatPoolReader pools, OrganizationReader organizations, JsonMapper json) {
        this.charges = charges;
        this.pools = pools;
        this.organizations = organizations;
        this.json = json;
    }

    @Operation(operationId = "listOrganizationCharges", summary = "List or export the organization's charges over a time range",
            description = "JSON pages by default (cursor, limit); with Accept: application/x-ndjson or text/csv every matching line, streamed.",
            responses = @ApiResponse(responseCode = "200", description = "The charges, in the representation asked for", content = {
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ChargePage.class)),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(implementation = ChargeLine.class,
                            description = "One charge JSON object per line")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string",
                            description = "A header row, then one row per charge (columns as in docs/api.md)"))}))
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/charges")
    public Mono<ResponseEntity<Flux<DataBuffer>>> organizationCharges(@PathVariable String orgId, @RequestParam(required = false) String from,
                                                                     @RequestParam(required = false) String to, @RequestParam(required = false) String cursor,
                                                                     @RequestParam(required = false) Integer limit, @AuthenticationPrincipal Caller caller,
                                                                     ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        ChargeReader.Filter filter = new ChargeReader.Filter(null, RequestValues.instant("from", from), RequestValues.instant("to", to));
        return BillingAccess.require(caller, tenant, organizations).then(answer(tenant, filter, cursor, limit, exchange));
    }

    @Operation(operationId = "listSeatPoolCharges", summary = "List or export a seat pool's charges",
            description = "JSON pages by default (cursor, limit); with Accept: application/x-ndjson or text/csv every matching line, streamed.",
            responses = @ApiResponse(responseCode = "200", description = "The charges, in the representation asked for", content = {
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ChargePage.class)),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(implementation = ChargeLine.class,
                            description = "One charge JSON object per line")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string",
                            description = "A header row, then one row per charge (columns as in docs/api.md)"))}))
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/seat-pools/{poolId}/charges")
    public Mono<ResponseEntity<Flux<DataBuffer>>> poolCharges(@PathVariable String orgId, @PathVariable String poolId,
                                                             @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                                             @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                                                             @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        ChargeReader.Filter filter = new ChargeReader.Filter(pool, RequestValues.instant("from", from), RequestValues.instant("to", to));
        return BillingAccess.require(caller, tenant, organizations)
                .then(pools.pool(tenant, pool).switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.NOT_FOUND, "no such seat pool"))))
                .then(answer(tenant, filter, cursor, limit, exchange));
    }

    /** The representation the client accepts; the cursor and limit are checked before anything is read, whichever it is. */
    private Mono<ResponseEntity<Flux<DataBuffer>>> answer(String tenant, ChargeReader.Filter filter, String cursor, Integer limit,
                                                          ServerWebExchange exchange) {
        Cursor.decode(cursor);
        Cursor.limit(limit);
        List<MediaType> accepted = exchange.getRequest().getHeaders().getAccept();
        if (Exports.asks(accepted, Exports.NDJSON)) {
            return Mono.fromSupplier(() -> Exports.stream(Exports.NDJSON, charges.stream(tenant, filter, cursor).map(ChargeFormats::ndjson)));
        }
        if (Exports.asks(accepted, Exports.CSV)) {
            return Mono.fromSupplier(() -> Exports.csv(ChargeFormats.CSV_HEADER, charges.stream(tenant, filter, cursor).map(ChargeFormats::csv)));
        }
        return Mono.defer(() -> charges.page(tenant, filter, cursor, limit)).map(page -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(json.writeValueAsBytes(page)))));
    }
}
