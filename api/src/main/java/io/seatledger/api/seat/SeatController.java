package io.seatledger.api.seat;

import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.api.consistency.Dispatch;
import io.seatledger.api.erasure.Sealing;
import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.Ids;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Bodies;
import io.seatledger.api.http.ChangeReasons;
import io.seatledger.api.http.RequestIds;
import io.seatledger.api.http.RequestValues;
import io.seatledger.api.ratelimit.RateLimits;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.AssignSeats;
import io.seatledger.messages.seatpool.BulkAssignment;
import io.seatledger.messages.seatpool.Invitation;
import io.seatledger.messages.seatpool.ResendInvitation;
import io.seatledger.messages.seatpool.RevokeSeat;
import io.seatledger.messages.seatpool.SeatAssignment;
import io.seatledger.messages.seatpool.SeatRequest;
import io.seatledger.messages.seatpool.SeatState;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.messages.seatpool.TransferSeat;
import io.seatledger.query.seatpool.SeatPoolReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Seats of a pool: assign (one or in bulk), list, read, revoke, resend the invitation, transfer. A bulk costs
 * rate-limit tokens by its number of seats ({@link RateLimits#chargeBulk}), charged once its body is read.
 */
@Tag(name = "Seats", description = "Seats of a pool: assign (one or in bulk), list, read, revoke, resend, transfer")
@RestController
@RequestMapping("/api/v1/orgs/{orgId}/seat-pools/{poolId}/seats")
public class SeatController {

    public static final String NDJSON = "application/x-ndjson";

    /** One assigned seat of a bulk answer, with its invitation. */
    public record BulkAssigned(String seatId, String email, SeatStatus status, SeatResource.InvitationResource invitation) {
    }

    /** One refused row of a bulk request, by its index. */
    public record BulkRejected(int index, String email, String code) {
    }

    public record BulkResult(List<BulkAssigned> assigned, List<BulkRejected> rejected) {
    }

    private final Dispatch dispatch;
    private final SeatPoolReader pools;
    private final int maxBulkSeats;
    private final JsonMapper json;
    private final long maxBodyBytes;
    private final RateLimits rateLimits;
    private final ClaimLinks claimLinks;
    private final Sealing sealing;

    public SeatController(Dispatch dispatch, SeatPoolReader pools, SeatLedgerProperties properties, JsonMapper json,
                          @Value("${spring.codec.max-in-memory-size}") DataSize maxBody, RateLimits rateLimits, ClaimLinks claimLinks,
                          Sealing sealing) {
        this.sealing = sealing;
        this.rateLimits = rateLimits;
        this.json = json;
        this.claimLinks = claimLinks;
        this.maxBodyBytes = maxBody.toBytes();
        this.dispatch = dispatch;
        this.pools = pools;
        this.maxBulkSeats = properties.seats().maxBulkSeats();
    }

    @Operation(operationId = "assignSeat", summary = "Assign a seat to an e-mail address")
    @ApiStatuses(success = 201, problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND,
            ErrorCode.SEAT_CAPACITY_EXCEEDED, ErrorCode.SEAT_ALREADY_ASSIGNED, ErrorCode.POOL_NOT_ACTIVE})
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<SeatResource>> assign(@PathVariable String orgId, @PathVariable String poolId, @RequestBody SeatRequests.Assign request,
                                                     @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        request.validate();
        String seatId = RequestValues.newId(exchange, "seat");
        List<String> sent = List.of(request.email());
        return sealing.sealForPool(tenant, pool, sent)
                .flatMap(sealed -> dispatch.<SeatAssignment>send(new AssignSeat(pool, tenant, seatId, sealed.get(0), request.claimAtOnce(), request.userId(),
                                request.metadata()), caller, tenant, exchange)
                        .flatMap(assignment -> answerAsSent(caller, tenant, exchange, assignment, sent, sealed)))
                .map(seat -> ResponseEntity.created(URI.create("/api/v1/orgs/" + tenant + "/seat-pools/" + pool + "/seats/" + seatId)).body(seat));
    }

    @Operation(operationId = "assignSeatsInBulk", summary = "Assign many seats, as a JSON list or NDJSON lines",
            description = "Seats a pool cannot take are refused row by row in the answer's rejected list, with their codes.")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.POOL_NOT_ACTIVE})
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = SeatRequests.Bulk.class)),
            @Content(mediaType = NDJSON, schema = @Schema(implementation = SeatRequests.Assign.class,
                    description = "One seat object per line; ?atomic=false lets each line succeed on its own"))})
    @io.swagger.v3.oas.annotations.Parameter(name = "atomic", in = io.swagger.v3.oas.annotations.enums.ParameterIn.QUERY,
            description = "NDJSON only: false lets each line succeed on its own (default true)", schema = @Schema(type = "boolean"))
    @PostMapping(path = "/bulk", consumes = "application/json")
    public Mono<BulkResult> assignInBulk(@PathVariable String orgId, @PathVariable String poolId, @RequestBody SeatRequests.Bulk request,
                                         @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        request.validate(maxBulkSeats);
        return rateLimits.chargeBulk(caller, request.seats().size())
                .then(Mono.defer(() -> assignAll(caller, tenant, pool, request.seats(), request.allOrNone(), exchange)));
    }

    /**
     * The same as JSON, one seat object per line; {@code ?atomic=false} lets each line succeed on its own. The
     * body (at most the limit every body has) is read whole and split here: Spring's streaming decoder
     * released buffers twice when a line failed to parse.
     */
    @Operation(hidden = true)
    @PostMapping(path = "/bulk", consumes = NDJSON)
    public Mono<BulkResult> assignInBulkFromLines(@PathVariable String orgId, @PathVariable String poolId,
                                                  @RequestParam(required = false) Boolean atomic, @AuthenticationPrincipal Caller caller,
                                                  ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        return Bodies.read(exchange.getRequest(), maxBodyBytes)
                .flatMap(body -> assignLines(caller, tenant, pool, new String(body, StandardCharsets.UTF_8), atomic, exchange));
    }

    private Mono<BulkResult> assignLines(Caller caller, String tenant, String pool, String lines, Boolean atomic, ServerWebExchange exchange) {
        List<SeatRequests.Assign> seats = new ArrayList<>();
        List<String> nonEmpty = lines.lines().filter(line -> !line.isBlank()).limit(maxBulkSeats + 1L).toList();
        for (int i = 0; i < nonEmpty.size(); i++) {
            try {
                seats.add(json.readValue(nonEmpty.get(i), SeatRequests.Assign.class));
            } catch (JacksonException unreadable) {
                throw new InvalidRequest("seats[" + i + "]", "line " + (i + 1) + " is not a seat object: " + unreadable.getOriginalMessage());
            }
        }
        new SeatRequests.Bulk(seats, atomic).validate(maxBulkSeats);
        return rateLimits.chargeBulk(caller, seats.size()).then(Mono.defer(() -> assignAll(caller, tenant, pool, seats, atomic == null || atomic, exchange)));
    }

    private Mono<BulkResult> assignAll(Caller caller, String tenant, String pool, List<SeatRequests.Assign> seats, boolean atomic,
                                       ServerWebExchange exchange) {
        List<String> sent = seats.stream().map(SeatRequests.Assign::email).toList();
        return sealing.sealForPool(tenant, pool, sent).flatMap(sealed -> {
            List<SeatRequest> requests = IntStream.range(0, seats.size())
                    .mapToObj(i -> new SeatRequest(RequestValues.newId(exchange, "seat-" + i), sealed.get(i), seats.get(i).claimAtOnce(),
                            seats.get(i).userId(), seats.get(i).metadata()))
                    .toList();
            return dispatch.<BulkAssignment>send(new AssignSeats(pool, tenant, requests, atomic), caller, tenant, exchange)
                    .flatMap(result -> erasedMeanwhile(caller, tenant, exchange, result.assigned().stream().map(SeatAssignment::seat).toList())
                            .flatMap(erased -> sealing.shownAsSent(tenant, sent, sealed, erased, result.assigned().stream().map(SeatAssignment::email).toList()))
                            .map(shown -> {
                                List<BulkAssigned> assigned = new ArrayList<>(result.assigned().size());
                                for (SeatAssignment seat : result.assigned()) {
                                    assigned.add(new BulkAssigned(seat.seatId(), shown.apply(seat.email()), seat.status(), invitation(exchange, seat.invitation())));
                                }
                                // a refused row is shown with the address it was sent with (the caller's own input)
                                return new BulkResult(assigned, result.rejected().stream()
                                        .map(rejection -> new BulkRejected(rejection.index(), sent.get(rejection.index()), rejection.code().name())).toList());
                            }));
        });
    }

    @Operation(operationId = "listSeats", summary = "List a pool's seats, a page at a time")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND})
    @GetMapping
    public Mono<SeatResource.SeatPage> seats(@PathVariable String orgId, @PathVariable String poolId, @RequestParam(required = false) String status,
                                             @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                                             @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        SeatStatus wanted = RequestValues.enumValue("status", status, SeatStatus.class);
        return pools.pool(tenant, pool).switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.NOT_FOUND, "no such seat pool")))
                .then(pools.seats(tenant, pool, wanted, cursor, limit)).map(SeatResource.SeatPage::of)
                .flatMap(page -> sealing.shown(tenant, page.items().stream().map(SeatResource::email).toList())
                        .map(shown -> new SeatResource.SeatPage(page.items().stream().map(seat -> seat.withEmail(shown.apply(seat.email()))).toList(),
                                page.next())));
    }

    @Operation(operationId = "getSeat", summary = "Read a seat")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND})
    @GetMapping("/{seatId}")
    public Mono<SeatResource> seat(@PathVariable String orgId, @PathVariable String poolId, @PathVariable String seatId,
                                   @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return pools.seat(tenant, Ids.uuid("poolId", poolId), Ids.uuid("seatId", seatId)).map(SeatResource::of).flatMap(seat -> shown(tenant, seat))
                .switchIfEmpty(notFound());
    }

    @Operation(operationId = "revokeSeat", summary = "Revoke a seat")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.INVALID_SEAT_STATE})
    @DeleteMapping("/{seatId}")
    public Mono<SeatResource> revoke(@PathVariable String orgId, @PathVariable String poolId, @PathVariable String seatId,
                                     @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        String seat = Ids.uuid("seatId", seatId);
        return dispatch.<SeatState>send(new RevokeSeat(pool, tenant, seat), caller, tenant, exchange)
                .flatMap(revoked -> shown(tenant, SeatResource.of(revoked, null)));
    }

    @Operation(operationId = "resendInvitation", summary = "Send a pending seat's invitation again, with a new token")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.INVALID_SEAT_STATE})
    @PostMapping("/{seatId}/resend")
    public Mono<SeatResource> resend(@PathVariable String orgId, @PathVariable String poolId, @PathVariable String seatId,
                                     @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        String seat = Ids.uuid("seatId", seatId);
        return dispatch.<SeatAssignment>send(new ResendInvitation(pool, tenant, seat), caller, tenant, exchange)
                .flatMap(assignment -> answer(exchange, tenant, assignment));
    }

    @Operation(operationId = "transferSeat", summary = "Move a seat to another e-mail address")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.INVALID_SEAT_STATE,
            ErrorCode.SEAT_ALREADY_ASSIGNED})
    @PostMapping(path = "/{seatId}/transfer", consumes = "application/json")
    public Mono<SeatResource> transfer(@PathVariable String orgId, @PathVariable String poolId, @PathVariable String seatId,
                                       @RequestBody SeatRequests.Transfer request, @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        String pool = Ids.uuid("poolId", poolId);
        String seat = Ids.uuid("seatId", seatId);
        request.validate();
        String newSeatId = RequestValues.newId(exchange, "transferred-seat");
        List<String> sent = List.of(request.email());
        return sealing.sealForPool(tenant, pool, sent)
                .flatMap(sealed -> dispatch.<SeatAssignment>send(new TransferSeat(pool, tenant, seat, newSeatId, sealed.get(0)), caller, tenant, exchange)
                        .flatMap(assignment -> answerAsSent(caller, tenant, exchange, assignment, sent, sealed)));
    }

    /**
     * The seat a command gave to an address this request sealed, as the write model holds it after the command, once
     * it was revoked if its subject was erased meanwhile; the address shown as sent ({@link Sealing#shownAsSent}).
     */
    private Mono<SeatResource> answerAsSent(Caller caller, String tenant, ServerWebExchange exchange, SeatAssignment assignment, List<String> sent,
                                            List<String> sealed) {
        return erasedMeanwhile(caller, tenant, exchange, List.of(assignment.seat()))
                .flatMap(erased -> sealing.shownAsSent(tenant, sent, sealed, erased, Collections.singletonList(assignment.seat().email())))
                .map(shown -> {
                    SeatResource seat = SeatResource.of(assignment.seat(), invitation(exchange, assignment.invitation()));
                    return seat.withEmail(shown.apply(seat.email()));
                });
    }

    /** The seat as the write model holds it after the command, with the invitation it issued. */
    private Mono<SeatResource> answer(ServerWebExchange exchange, String tenant, SeatAssignment assignment) {
        return shown(tenant, SeatResource.of(assignment.seat(), invitation(exchange, assignment.invitation())));
    }

    /** The seat with its stored address shown: opened, or {@code "[erased]"}. */
    private Mono<SeatResource> shown(String tenant, SeatResource seat) {
        return sealing.shown(tenant, Collections.singletonList(seat.email())).map(shown -> seat.withEmail(shown.apply(seat.email())));
    }

    /**
     * Seats just given to sealed addresses whose subject was erased meanwhile are revoked before the answer; answers
     * those subjects' digests.
     */
    private Mono<Set<String>> erasedMeanwhile(Caller caller, String tenant, ServerWebExchange exchange, List<SeatState> seats) {
        return sealing.revokeIfErasedMeanwhile(tenant, seats, caller.inRequest(tenant, RequestIds.of(exchange), ChangeReasons.of(exchange)));
    }

    private SeatResource.InvitationResource invitation(ServerWebExchange exchange, Invitation invitation) {
        if (invitation == null) {
            return null;
        }
        return new SeatResource.InvitationResource(invitation.token(), invitation.expiresAt(), claimLinks.claimUrl(exchange.getRequest(), invitation.token()));
    }

    private static <T> Mono<T> notFound() {
        return Mono.error(new SeatLedgerException(ErrorCode.NOT_FOUND, "no such seat"));
    }

}
