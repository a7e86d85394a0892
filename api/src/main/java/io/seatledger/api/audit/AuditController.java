package io.seatledger.api.audit;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.Exports;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.RequestValues;
import io.seatledger.api.security.AuditAccess;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.query.audit.AuditFilter;
import io.seatledger.query.audit.AuditFormats;
import io.seatledger.query.audit.AuditEntry;
import io.seatledger.query.audit.AuditReader;
import io.seatledger.query.audit.AuditVerifier;
import io.seatledger.query.organization.OrganizationReader;
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

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An organization's audit trail for auditors and its billing manager: JSON pages, or everything matching
 * streamed as NDJSON or CSV ({@code Accept}) or as pgaudit log lines ({@code ?format=pgaudit}); and the
 * verification of its hash chain. Exports read the trail page by page as the client takes it, at most
 * {@code seatledger.audit.exports-per-organization} at once per organization (more answer 429 with {@code Retry-After}).
 */
@Tag(name = "Audit", description = "The audit trail: read it (JSON pages, NDJSON, CSV, pgaudit lines) and verify its hash chain")
@RestController
@RequestMapping("/api/v1/orgs/{orgId}/audit")
public class AuditController {

    public static final MediaType NDJSON = Exports.NDJSON;
    public static final MediaType CSV = Exports.CSV;

    /** A page of the trail, as the JSON answer has it (the document's name for {@code Page<AuditEntry>}). */
    @Schema(name = "AuditPage")
    record AuditPage(List<AuditEntry> items, @Schema(description = "The after of the next page; null on the last") String next) {
    }

    private final AuditReader audit;
    private final AuditVerifier verifier;
    private final OrganizationReader organizations;
    private final JsonMapper json;

    public AuditController(AuditReader audit, AuditVerifier verifier, OrganizationReader organizations, JsonMapper json) {
        this.json = json;
        this.audit = audit;
        this.verifier = verifier;
        this.organizations = organizations;
    }

    @Operation(operationId = "getAuditTrail", summary = "Read or export the audit trail",
            description = "JSON pages by default (limit, next as after). With Accept: application/x-ndjson the whole filtered trail "
                    + "streams as one entry per line; with Accept: text/csv as CSV rows under a header; with format=pgaudit as "
                    + "pgaudit-style text lines.",
            responses = @ApiResponse(responseCode = "200", description = "The trail, in the representation asked for", content = {
                    @Content(mediaType = "application/json", schema = @Schema(implementation = AuditPage.class)),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(implementation = AuditEntry.class,
                            description = "One AuditEntry JSON object per line")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string",
                            description = "A header row, then one row per entry (columns as in docs/api.md)")),
                    @Content(mediaType = "text/plain", schema = @Schema(type = "string",
                            description = "format=pgaudit: one pgaudit-style line per entry"))}))
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping
    public Mono<ResponseEntity<Flux<DataBuffer>>> trail(@PathVariable String orgId, @RequestParam(required = false) Long after,
                                         @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                         @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                                         @RequestParam(required = false) Integer limit, @RequestParam(required = false) String format,
                                         @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        if (format != null && !format.equals("pgaudit")) {
            throw new InvalidRequest("format", "the only format parameter is pgaudit (or ask for NDJSON or CSV with Accept)");
        }
        AuditFilter filter = new AuditFilter(after, RequestValues.instant("from", from), RequestValues.instant("to", to), actor, action);
        List<MediaType> accepted = exchange.getRequest().getHeaders().getAccept();
        Mono<ResponseEntity<Flux<DataBuffer>>> answer;
        if (format != null) {
            answer = Mono.just(Exports.stream(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8), audit.stream(tenant, filter).map(AuditFormats::pgaudit)));
        } else if (Exports.asks(accepted, NDJSON)) {
            answer = Mono.just(Exports.stream(NDJSON, audit.stream(tenant, filter).map(AuditFormats::ndjson)));
        } else if (Exports.asks(accepted, CSV)) {
            answer = Mono.just(Exports.csv(AuditFormats.CSV_HEADER, audit.stream(tenant, filter).map(AuditFormats::csv)));
        } else {
            answer = audit.page(tenant, filter, limit).map(page -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(json.writeValueAsBytes(page)))));
        }
        return AuditAccess.require(caller, tenant, organizations).then(answer);
    }

    @Operation(operationId = "verifyAuditTrail", summary = "Verify the audit trail's hash chain")
    @ApiStatuses(problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/verify")
    public Mono<AuditVerifier.Verification> verify(@PathVariable String orgId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return AuditAccess.require(caller, tenant, organizations).then(audit.asWholeTrailRead(tenant, Mono.defer(() -> verifier.verify(tenant))));
    }
}
