package io.seatledger.api.invitation;

import io.seatledger.api.consistency.CommandPositions;
import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.ChangeReasons;
import io.seatledger.api.consistency.ConsistencyProperties;
import io.seatledger.api.consistency.Dispatch;
import io.seatledger.api.erasure.Sealing;
import io.seatledger.api.http.RequestIds;
import io.seatledger.api.seat.SeatResource;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.seatpool.ClaimSeat;
import io.seatledger.messages.seatpool.SeatState;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.projections.positions.ReadModelWaits;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import io.seatledger.query.invitation.InvitationReader;
import io.seatledger.query.invitation.InvitationReader.InvitationView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.seatledger.api.settings.SeatLedgerProperties;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;

/** Invitations, for the people invited: see what a token opens (no account needed), claim it (with one). */
@Tag(name = "Invitations", description = "What an invitee sees and does: preview and claim")
@RestController
@RequestMapping("/api/v1/invitations/{token}")
public class InvitationController {

    /**
     * What an invitation opens. {@code canClaim} is false exactly when a claim would be refused: the token is
     * current and not expired here (otherwise the preview is refused as the claim would be), so it is whether the
     * pool is in service, the rule the pool itself applies to a claim.
     */
    public record InvitationPreview(String orgName, String poolId, String email, Instant expiresAt, boolean canClaim) {
    }

    private final InvitationReader invitations;
    private final Dispatch dispatch;
    private final CommandPositions positions;
    private final ReadModelWaits waits;
    private final ConsistencyProperties consistency;
    private final Clock clock;
    private final boolean requireEmailMatch;
    private final Sealing sealing;

    public InvitationController(InvitationReader invitations, Dispatch dispatch, CommandPositions positions, ReadModelWaits waits,
                                ConsistencyProperties consistency, Clock clock,
                                SeatLedgerProperties settings, Sealing sealing) {
        this.sealing = sealing;
        this.invitations = invitations;
        this.positions = positions;
        this.waits = waits;
        this.consistency = consistency;
        this.dispatch = dispatch;
        this.clock = clock;
        this.requireEmailMatch = settings.claim().requireEmailMatch();
    }

    @Operation(operationId = "previewInvitation", summary = "Show what an invitation offers (no token needed)")
    @ApiStatuses(problems = {ErrorCode.INVITATION_INVALID, ErrorCode.INVITATION_EXPIRED})
    @SecurityRequirements
    @GetMapping
    public Mono<InvitationPreview> preview(@PathVariable String token) {
        return open(token).flatMap(invitation -> sealing.shown(invitation.orgId(), Collections.singletonList(invitation.email()))
                .map(shown -> new InvitationPreview(invitation.orgName(), invitation.poolId(), shown.apply(invitation.email()),
                        invitation.expiresAt(), invitation.poolInService())));
    }

    @Operation(operationId = "claimInvitation", summary = "Claim the seat an invitation offers")
    @ApiStatuses(problems = {ErrorCode.INVITATION_INVALID, ErrorCode.INVITATION_EXPIRED, ErrorCode.EMAIL_MISMATCH})
    @PostMapping("/claim")
    public Mono<SeatResource> claim(@PathVariable String token, @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        InvitationToken invitationToken = parse(token);
        return open(token).flatMap(invitation -> sealing.claimant(invitation.orgId(), invitation.email(), caller.email()).flatMap(claimant -> {
            ClaimSeat command = new ClaimSeat(invitation.poolId(), invitationToken.seatId().toString(), invitationToken.sha256(), caller.userId(),
                    claimant, requireEmailMatch);
            return dispatch.<SeatState>send(command, caller.inRequest(invitation.orgId(), RequestIds.of(exchange), ChangeReasons.of(exchange)), exchange)
                    .flatMap(seat -> sealing.shown(invitation.orgId(), Collections.singletonList(seat.email()))
                            .map(shown -> SeatResource.of(seat, null).withEmail(shown.apply(seat.email()))));
        }));
    }

    /** The invitation a token opens, if it is a current one and not expired (an expired seat keeps its last token's hash, to say so). */
    private Mono<InvitationView> open(String token) {
        return projected(parse(token))
                .filter(invitation -> invitation.seatStatus() == SeatStatus.PENDING || invitation.seatStatus() == SeatStatus.EXPIRED)
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.INVITATION_INVALID, "this invitation is unknown or was already used")))
                .map(invitation -> {
                    if (invitation.seatStatus() == SeatStatus.EXPIRED
                            || invitation.expiresAt() != null && !invitation.expiresAt().isAfter(clock.instant())) {
                        throw new SeatLedgerException(ErrorCode.INVITATION_EXPIRED, "this invitation has expired; ask for a new one");
                    }
                    return invitation;
                });
    }

    /**
     * The invitation as the read model shows it. One it does not show may be one assigned a moment ago (the invitee
     * has no position to wait for): then it is looked up again once the read model has applied every event its pool
     * has now (bounded like any read; a projection that does not get there is 503, nothing having been stored).
     */
    private Mono<InvitationView> projected(InvitationToken token) {
        return invitations.invitation(token).switchIfEmpty(Mono.defer(() -> Mono.fromCallable(() -> positions.after(token.poolId().toString()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(position -> Mono.fromFuture(() -> waits.await(Set.of(SeatPoolProjection.PROCESSOR), null, position, consistency.maxWait())))
                .flatMap(applied -> applied ? invitations.invitation(token) : Mono.error(new SeatLedgerException(ErrorCode.UNAVAILABLE,
                        "the invitation's pool is not read yet; try again shortly")))));
    }

    private static InvitationToken parse(String token) {
        return InvitationToken.parse(token)
                .orElseThrow(() -> new SeatLedgerException(ErrorCode.INVITATION_INVALID, "this invitation is unknown or was already used"));
    }
}
