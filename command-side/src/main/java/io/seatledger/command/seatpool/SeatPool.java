package io.seatledger.command.seatpool;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.seatledger.command.seatpool.Deadlines.GraceEnds;
import io.seatledger.command.seatpool.Deadlines.InvitationsDue;
import io.seatledger.command.seatpool.Deadlines.PeriodEnds;
import io.seatledger.messages.common.AlreadyApplied;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.common.PlainText;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.*;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.interceptors.MessageHandlerInterceptor;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.getVersion;

/**
 * A pool of seats an organization bought. It is the one consistency boundary for its seats:
 * capacity, duplicate e-mails, invitation validity and every state transition are decided here,
 * so concurrent requests can never over-assign. The rules it decides by are named beside it
 * ({@link SeatAllocation}, {@link Capacity}, {@link PurchaseRules}, {@link ProviderReports}, {@link StripeLinks},
 * {@link PaymentStanding}, {@link PoolCharges}, {@link RequestMemory}); its refusals are the {@link Rejection}s.
 */
@Aggregate(snapshotTriggerDefinition = "seatPoolSnapshotTrigger", cache = "seatPoolCache")
// The layout of its snapshots: snapshots of another revision are ignored and the pool is rebuilt from its events.
@Revision("3")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public class SeatPool {

    /** The most metadata entries a seat carries ({@link SeatMetadata}). */
    static final int MAX_METADATA_ENTRIES = SeatMetadata.MAX_ENTRIES;

    @AggregateIdentifier
    private String poolId;
    private String orgId;
    private PoolKind kind;
    private PoolStatus status;
    private BillingInterval interval;
    private Pricing pricing;
    private int capacity;
    private int occupied;
    private int claimed;
    private Instant createdAt;
    private BillingPeriod currentPeriod;
    private StripeSubscription stripe;
    private boolean cancelAtPeriodEnd;
    private ScheduledChange scheduledChange;
    private SeatPoolResizeRequested pendingResize;
    private Instant graceEndsAt;
    /** Why the pool is suspended: unpaid renewal, and the disputes still open over its payments ({@link PaymentStanding}). */
    private boolean unpaid;
    private Set<String> openDisputes = new HashSet<>();
    /** How much of each of the pool's payments the provider refunded so far, by charge. */
    private Map<String, Long> refunded = new HashMap<>();
    private Roster seats = new Roster();
    private RequestMemory recentRequests = new RequestMemory();

    protected SeatPool() {
    }

    /** The seats this pool keeps in memory: what holding it loaded costs (the write model's cache weighs pools by it). */
    @JsonIgnore
    public int seatsInMemory() {
        return seats.size();
    }

    // ---------------------------------------------------------------- input every command must meet

    /** Nothing with a control character reaches an event, whichever way the command came (see {@link PlainText}). */
    @CommandHandlerInterceptor
    public Object refuseControlCharacters(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if (!PlainText.isPlain(command.getMetaData())) {
            throw Rejection.CONTROL_CHARACTERS_IN_METADATA.exception();
        }
        return chain.proceed();
    }

    // ---------------------------------------------------------------- idempotency

    @CommandHandlerInterceptor
    public Object skipRepeatedRequest(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        Object requestId = command.getMetaData().get(AuditMetadata.REQUEST_ID);
        return recentRequests.remembers(requestId) ? new AlreadyApplied(requestId.toString()) : chain.proceed();
    }

    @MessageHandlerInterceptor(messageType = EventMessage.class)
    public Object rememberRequest(EventMessage<?> event, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        recentRequests.remember(event.getMetaData().get(AuditMetadata.REQUEST_ID), event.getTimestamp());
        return result;
    }

    // ---------------------------------------------------------------- purchase and payment

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public PoolState handle(PurchaseSeatPool command, Clock clock, DeadlineManager deadlines) {
        if (poolId != null) {
            throw Rejection.POOL_EXISTS.exception();
        }
        PurchaseRules.check(command);
        Instant now = clock.instant();
        boolean awaitsPayment = command.checkout() != null;
        BillingPeriod period = awaitsPayment || command.kind() == PoolKind.ORDER ? null : BillingPeriod.startingAt(now, command.interval());
        apply(new SeatPoolPurchased(command.poolId(), command.orgId(), command.kind(), command.seats(), command.pricing(),
                command.interval(), awaitsPayment ? PoolStatus.AWAITING_PAYMENT : PoolStatus.ACTIVE, period, command.checkout(), now,
                awaitsPayment ? null : PoolCharges.forPeriod(command.pricing(), command.seats(), period, now)));
        if (period != null) {
            schedulePeriodEnd(deadlines);
        }
        return state();
    }

    // ---------------------------------------------------------------- seats

    @CommandHandler
    public SeatAssignment handle(AssignSeat command, Clock clock, SeatPolicy policy, DeadlineManager deadlines) {
        requireTenant(command.orgId());
        requireActive();
        NewSeat seat = NewSeat.of(command);
        Rejection refusal = new SeatAllocation(seats, seatCapacity()).admit(seat);
        if (refusal != null) {
            throw refusal.exception();
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(policy.invitationValidity());
        return openingInvitations(expiresAt, policy, deadlines, () -> assign(seat, now, expiresAt));
    }

    @CommandHandler
    public BulkAssignment handle(AssignSeats command, Clock clock, SeatPolicy policy, DeadlineManager deadlines) {
        requireTenant(command.orgId());
        requireActive();
        if (command.seats() == null || command.seats().isEmpty() || command.seats().size() > policy.maxBulkSeats()) {
            throw Rejection.BULK_SIZE.exception(policy.maxBulkSeats());
        }
        SeatAllocation allocation = new SeatAllocation(seats, seatCapacity());
        List<NewSeat> accepted = new ArrayList<>();
        List<SeatRejection> rejected = new ArrayList<>();
        for (int i = 0; i < command.seats().size(); i++) {
            SeatRequest request = command.seats().get(i);
            NewSeat seat = NewSeat.of(request);
            Rejection refusal = allocation.admit(seat);
            if (refusal == null) {
                accepted.add(seat);
            } else {
                rejected.add(new SeatRejection(i, request.email(), refusal.code()));
            }
        }
        if (command.atomic() && !rejected.isEmpty()) {
            return new BulkAssignment(List.of(), rejected);
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(policy.invitationValidity());
        List<SeatAssignment> assigned = openingInvitations(expiresAt, policy, deadlines,
                () -> accepted.stream().map(seat -> assign(seat, now, expiresAt)).toList());
        return new BulkAssignment(assigned, rejected);
    }

    /** A seat claimed at once is assigned and claimed by its holder; any other is an invitation, answered with its token. */
    private SeatAssignment assign(NewSeat seat, Instant now, Instant expiresAt) {
        String address = PersonalData.stored(seat.email());
        Map<String, String> metadata = SeatMetadata.stored(seat.metadata());
        if (seat.immediateClaim()) {
            apply(new SeatAssigned(poolId, orgId, seat.seatId(), address, null, null, metadata, now));
            apply(new SeatClaimed(poolId, orgId, seat.seatId(), seat.holderUserId(), now));
            return new SeatAssignment(seatState(seat.seatId()), null);
        }
        InvitationToken token = InvitationToken.issue(UUID.fromString(poolId), UUID.fromString(seat.seatId()));
        apply(new SeatAssigned(poolId, orgId, seat.seatId(), address, token.sha256(), expiresAt, metadata, now));
        return new SeatAssignment(seatState(seat.seatId()), new Invitation(token.value(), expiresAt));
    }

    @CommandHandler
    public SeatAssignment handle(ResendInvitation command, Clock clock, SeatPolicy policy, DeadlineManager deadlines) {
        requireTenant(command.orgId());
        requireNotCanceled();
        Seat seat = requireSeat(command.seatId());
        if (seat.status() != SeatStatus.PENDING) {
            throw Rejection.RESEND_NOT_PENDING.exception();
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(policy.invitationValidity());
        InvitationToken token = InvitationToken.issue(UUID.fromString(poolId), UUID.fromString(seat.seatId()));
        return openingInvitations(expiresAt, policy, deadlines, () -> {
            apply(new InvitationReissued(poolId, orgId, seat.seatId(), token.sha256(), expiresAt, now));
            return new SeatAssignment(seatState(seat.seatId()), new Invitation(token.value(), expiresAt));
        });
    }

    @CommandHandler
    public SeatState handle(ClaimSeat command, Clock clock) {
        Seat seat = seats.get(command.seatId());
        if (seat == null || status == PoolStatus.CANCELED || seat.status() != SeatStatus.PENDING
                || !Objects.equals(seat.invitationTokenHash(), command.invitationTokenHash())) {
            throw Rejection.INVITATION_UNKNOWN.exception();
        }
        if (!status.inService(graceExpired())) {
            // The invitation stays open: it can be claimed once the pool is paid for again.
            throw Rejection.CLAIM_OUT_OF_SERVICE.exception();
        }
        Instant now = clock.instant();
        if (!now.isBefore(seat.expiresAt())) {
            throw Rejection.INVITATION_EXPIRED.exception();
        }
        if (command.requireEmailMatch() && !PersonalData.sameSubject(seat.email(), command.email())) {
            throw Rejection.EMAIL_MISMATCH.exception();
        }
        if (command.userId() == null || command.userId().isBlank()) {
            throw Rejection.CLAIM_WITHOUT_USER.exception();
        }
        PlainText.requirePlain("the claiming user's id", command.userId());
        if (seats.claimedSeatOf(command.userId()) != null) {
            throw Rejection.USER_HOLDS_SEAT.exception();
        }
        apply(new SeatClaimed(poolId, orgId, seat.seatId(), command.userId(), now));
        return seatState(seat.seatId());
    }

    @CommandHandler
    public SeatState handle(RevokeSeat command, Clock clock) {
        requireTenant(command.orgId());
        Seat seat = requireSeat(command.seatId());
        if (!seat.status().occupiesCapacity()) {
            throw Rejection.SEAT_ALREADY_ENDED.exception(seat.status());
        }
        apply(new SeatRevoked(poolId, orgId, seat.seatId(), seat.status(), RevocationReason.REVOKED_BY_MANAGER, clock.instant()));
        return seatState(seat.seatId());
    }

    @CommandHandler
    public SeatAssignment handle(TransferSeat command, Clock clock, SeatPolicy policy, DeadlineManager deadlines) {
        requireTenant(command.orgId());
        requireActive();
        Seat seat = requireSeat(command.seatId());
        if (!seat.status().occupiesCapacity()) {
            throw Rejection.TRANSFER_NOT_IN_USE.exception();
        }
        if (!PersonalData.isValid(command.newEmail()) || !Uuids.isCanonical(command.newSeatId())) {
            throw Rejection.TRANSFER_MALFORMED.exception();
        }
        if (seats.contains(command.newSeatId())) {
            throw Rejection.NEW_SEAT_ID_TAKEN.exception();
        }
        if (seats.occupiedSeatOf(PersonalData.subject(command.newEmail())) != null) {
            throw Rejection.ADDRESS_HOLDS_SEAT.exception();
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(policy.invitationValidity());
        String address = PersonalData.stored(command.newEmail());
        InvitationToken token = InvitationToken.issue(UUID.fromString(poolId), UUID.fromString(command.newSeatId()));
        return openingInvitations(expiresAt, policy, deadlines, () -> {
            apply(new SeatTransferred(poolId, orgId, seat.seatId(), seat.status(), command.newSeatId(), address, token.sha256(), expiresAt, now));
            return new SeatAssignment(seatState(command.newSeatId()), new Invitation(token.value(), expiresAt));
        });
    }

    @DeadlineHandler(deadlineName = Deadlines.INVITATION_EXPIRY)
    void on(InvitationsDue due) {
        for (Seat seat : seats.pendingExpiringBy(due.at())) {
            apply(new SeatExpired(poolId, orgId, seat.seatId(), seat.expiresAt()));
        }
    }

    /**
     * Applies {@code opening}, whose events may open invitations expiring at {@code expiresAt}, and schedules
     * the {@link ExpiryCheck} of their interval if it left a pending invitation there while there was none before
     * (whoever put the earlier one there scheduled the check already).
     */
    private <T> T openingInvitations(Instant expiresAt, SeatPolicy policy, DeadlineManager deadlines, Supplier<T> opening) {
        ExpiryCheck check = ExpiryCheck.covering(expiresAt, policy);
        boolean alreadyScheduled = seats.hasPendingExpiringWithin(check);
        T opened = opening.get();
        if (!alreadyScheduled && seats.hasPendingExpiringWithin(check)) {
            Deadlines.schedule(deadlines, new InvitationsDue(check.runsAt()), poolId, orgId);
        }
        return opened;
    }

    // ---------------------------------------------------------------- capacity

    @CommandHandler
    public ResizeResult handle(ResizeSeatPool command, Clock clock) {
        requireTenant(command.orgId());
        if (kind == PoolKind.ORDER) {
            throw Rejection.ORDER_NOT_RESIZABLE.exception();
        }
        requireUsable();
        if (command.seats() < 1 || command.timing() == null || command.prorationBehavior() == null) {
            throw Rejection.RESIZE_MALFORMED.exception();
        }
        if (status == PoolStatus.SUSPENDED && command.seats() > capacity) {
            // more seats would be billed on a payment that is unpaid or disputed; fewer only lower what is owed
            throw Rejection.SUSPENDED_POOL_GROWING.exception();
        }
        seatCapacity().requireRoomFor(command.seats());
        Instant now = clock.instant();
        if (StripeLinks.billsSeats(stripe)) {
            if (pendingResize != null) {
                throw Rejection.RESIZE_AWAITING_STRIPE.exception();
            }
            apply(new SeatPoolResizeRequested(poolId, orgId, command.seats(), command.timing(), command.prorationBehavior(), now));
            return new ResizeResult(ResizeOutcome.AWAITING_PROVIDER, state());
        }
        return new ResizeResult(resize(command.seats(), command.timing(), command.prorationBehavior(), now), state());
    }

    /** Any newer resize, now or at the period's end, replaces a change still scheduled: the last decision stands. */
    private ResizeOutcome resize(int seatCount, ResizeTiming timing, ProrationBehavior proration, Instant now) {
        replaceScheduledChange(now);
        if (timing == ResizeTiming.PERIOD_END) {
            apply(new SeatPoolResizeScheduled(poolId, orgId, seatCount, currentPeriod.end()));
            return ResizeOutcome.SCHEDULED;
        }
        if (seatCount != capacity) {
            apply(new SeatPoolResized(poolId, orgId, capacity, seatCount, proration, now,
                    isInvoicedManually() ? PoolCharges.forResize(pricing, currentPeriod, capacity, seatCount, proration, now) : null));
        }
        return ResizeOutcome.APPLIED;
    }

    private void replaceScheduledChange(Instant now) {
        if (scheduledChange != null) {
            apply(new ScheduledResizeReplaced(poolId, orgId, scheduledChange.seats(), scheduledChange.effectiveAt(), now));
        }
    }

    @CommandHandler
    public void handle(ConfirmSeatPoolResize command, Clock clock) {
        requireTenant(command.orgId());
        if (pendingResize != null) {
            confirmPendingResize(clock.instant());
        }
    }

    private void confirmPendingResize(Instant now) {
        SeatPoolResizeRequested confirmed = pendingResize;
        if (confirmed.timing() == ResizeTiming.NOW && confirmed.seats() < occupied) {
            // Stripe already bills the lower quantity: record it as the provider's decision, seats in use are kept.
            replaceScheduledChange(now);
            forceCapacity(confirmed.seats(), now);
        } else {
            resize(confirmed.seats(), confirmed.timing(), confirmed.prorationBehavior(), now);
        }
    }

    private void forceCapacity(int seatCount, Instant now) {
        apply(new SeatCapacityForced(poolId, orgId, capacity, seatCount, seatCapacity().overAllocationAt(seatCount), now));
    }

    @CommandHandler
    public void handle(FailSeatPoolResize command, Clock clock) {
        requireTenant(command.orgId());
        PlainText.requirePlain("failure", command.failure());
        if (pendingResize != null) {
            apply(new SeatPoolResizeFailed(poolId, orgId, pendingResize.seats(), command.failure(), clock.instant()));
        }
    }

    // ---------------------------------------------------------------- billing cycle

    @CommandHandler
    public PoolState handle(ChangeBillingInterval command, Clock clock) {
        requireTenant(command.orgId());
        if (kind == PoolKind.ORDER) {
            throw Rejection.ORDER_HAS_NO_INTERVAL.exception();
        }
        requireUsable();
        if (StripeLinks.billsSeats(stripe)) {
            // Stripe bills the interval through the subscription's price: it changes there and follows by webhook.
            throw Rejection.INTERVAL_CHANGES_IN_STRIPE.exception();
        }
        if (command.interval() == null) {
            throw Rejection.INTERVAL_MALFORMED.exception();
        }
        if (command.interval() != interval) {
            apply(new BillingIntervalChanged(poolId, orgId, interval, command.interval(), clock.instant()));
        }
        return state();
    }

    @DeadlineHandler(deadlineName = Deadlines.PERIOD_END)
    void on(PeriodEnds due, DeadlineManager deadlines) {
        if (status != PoolStatus.CANCELED && currentPeriod != null && currentPeriod.end().equals(due.at())) {
            endPeriod(currentPeriod.next(interval), null, deadlines);
        }
    }

    /**
     * What happens when a period closes: a cancellation takes effect, or a scheduled change applies and the next period starts.
     * {@code providerQuantity} is what Stripe bills from the new period on (null for a manually invoiced pool).
     */
    private void endPeriod(BillingPeriod next, Integer providerQuantity, DeadlineManager deadlines) {
        Instant end = currentPeriod == null ? next.start() : currentPeriod.end();
        if (cancelAtPeriodEnd) {
            cancelNow(end, RevocationReason.SUBSCRIPTION_CANCELED);
            return;
        }
        if (scheduledChange != null) {
            // Re-checked when due: never below the seats in use at that moment.
            int seatCount = seatCapacity().keepingSeatsInUse(scheduledChange.seats());
            if (providerQuantity != null && providerQuantity < seatCount && pendingResize == null) {
                // Stripe applied the quantity scheduled earlier, but more seats are in use now: they are billed from the new
                // period's start (prorated), and the capacity follows when Stripe has taken it.
                apply(new SeatPoolResizeRequested(poolId, orgId, seatCount, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS, end));
            } else if (seatCount != capacity) {
                apply(new SeatPoolResized(poolId, orgId, capacity, seatCount, ProrationBehavior.NONE, end));
            }
        }
        apply(new BillingPeriodRenewed(poolId, orgId, next, isInvoicedManually() ? PoolCharges.forPeriod(pricing, capacity, next, next.start()) : null));
        if (!StripeLinks.billsSeats(stripe)) {
            schedulePeriodEnd(deadlines);
        }
    }

    private void schedulePeriodEnd(DeadlineManager deadlines) {
        Deadlines.schedule(deadlines, new PeriodEnds(currentPeriod.end()), poolId, orgId);
    }

    private void goPastDue(Instant graceEnd, Instant now, DeadlineManager deadlines) {
        if (graceEnd == null) {
            throw Rejection.GRACE_END_REQUIRED.exception();
        }
        apply(new SeatPoolWentPastDue(poolId, orgId, graceEnd, now));
        Deadlines.schedule(deadlines, new GraceEnds(graceEnd), poolId, orgId);
    }

    @DeadlineHandler(deadlineName = Deadlines.GRACE_END)
    void on(GraceEnds due) {
        if (status == PoolStatus.PAST_DUE && due.at().equals(graceEndsAt)) {
            apply(new SeatPoolGraceExpired(poolId, orgId, due.at()));
        }
    }

    @CommandHandler
    public PoolState handle(CancelSeatPool command, Clock clock) {
        requireTenant(command.orgId());
        requireNotCanceled();
        if (command.atPeriodEnd() && kind == PoolKind.ORDER) {
            throw Rejection.ORDER_HAS_NO_PERIOD.exception();
        }
        if (command.atPeriodEnd() && currentPeriod != null) {
            if (!cancelAtPeriodEnd) {
                apply(new SeatPoolCancellationScheduled(poolId, orgId, currentPeriod.end()));
            }
            return state();
        }
        cancelNow(clock.instant(), RevocationReason.SUBSCRIPTION_CANCELED);
        return state();
    }

    private void cancelNow(Instant at, RevocationReason reason) {
        List<Seat> inUse = seats.inUse();
        apply(new SeatPoolCanceled(poolId, orgId, at));
        for (Seat seat : inUse) {
            apply(new SeatRevoked(poolId, orgId, seat.seatId(), seat.status(), reason, at));
        }
    }

    // ---------------------------------------------------------------- the billing provider's view

    @CommandHandler
    public void handle(AttachCheckoutSession command, Clock clock) {
        requireTenant(command.orgId());
        if (command.checkoutSessionId() == null || command.checkoutSessionId().isBlank()) {
            throw Rejection.CHECKOUT_SESSION_REQUIRED.exception();
        }
        PlainText.requirePlain("checkoutSessionId", command.checkoutSessionId());
        if (stripe == null) {
            throw Rejection.NOT_BOUGHT_IN_CHECKOUT.exception();
        }
        if (!command.checkoutSessionId().equals(stripe.checkoutSessionId())) {
            apply(new CheckoutSessionOpened(poolId, orgId, command.checkoutSessionId(), clock.instant()));
        }
    }

    /**
     * Stripe is the authority on payment, quantity, interval and periods of the pools it bills: its current
     * state is applied as a whole, so duplicated, late or reordered notifications change nothing twice.
     * A cancellation is final; a quantity that differs while our own resize waits for Stripe is an older
     * view and waits too.
     */
    @CommandHandler
    public void handle(ApplyProviderState command, Clock clock, DeadlineManager deadlines) {
        requireTenant(command.orgId());
        ProviderState state = command.state();
        ProviderReports.requireValid(state);
        if (status == PoolStatus.CANCELED) {
            return;
        }
        Instant now = clock.instant();
        switch (state.payment()) {
            case PENDING -> {
                return;
            }
            case ENDED -> {
                cancelNow(now, RevocationReason.SUBSCRIPTION_CANCELED);
                return;
            }
            case UNPAID -> {
                if (status == PoolStatus.AWAITING_PAYMENT) {
                    return;
                }
                if (!unpaid) {
                    // Not final: the seats are kept and entitle nobody until the invoice is paid.
                    apply(new SeatPoolSuspended(poolId, orgId, SuspensionCause.UNPAID, null, now));
                }
            }
            case PAID -> {
                if (status == PoolStatus.AWAITING_PAYMENT) {
                    if (kind == PoolKind.SUBSCRIPTION && state.period() == null) {
                        throw Rejection.ACTIVATION_WITHOUT_PERIOD.exception();
                    }
                    apply(new SeatPoolActivated(poolId, orgId, state.period(), StripeLinks.merged(stripe, state.stripe()), now));
                } else if (status == PoolStatus.PAST_DUE) {
                    apply(new SeatPoolPaymentRecovered(poolId, orgId, now));
                } else if (unpaid) {
                    apply(new SeatPoolSuspensionLifted(poolId, orgId, SuspensionCause.UNPAID, null,
                            paymentStanding().statusWithout(SuspensionCause.UNPAID, null), now));
                }
            }
            case PAST_DUE -> {
                if (status == PoolStatus.AWAITING_PAYMENT) {
                    return;
                }
                if (status == PoolStatus.ACTIVE) {
                    goPastDue(command.graceEndsAt(), now, deadlines);
                }
            }
        }
        if (kind == PoolKind.ORDER) {
            return;
        }
        if (!state.cancelAtPeriodEnd() && cancelAtPeriodEnd) {
            apply(new SeatPoolCancellationWithdrawn(poolId, orgId, now));
        }
        if (state.period() != null && currentPeriod != null && state.period().end().isAfter(currentPeriod.end())) {
            endPeriod(state.period(), state.quantity(), deadlines);
            if (status == PoolStatus.CANCELED) {
                return;
            }
        }
        if (state.interval() != null && state.interval() != interval) {
            apply(new BillingIntervalChanged(poolId, orgId, interval, state.interval(), now));
        }
        if (state.quantity() != null) {
            applyProviderQuantity(state.quantity(), now);
        }
        if (state.cancelAtPeriodEnd() && !cancelAtPeriodEnd && currentPeriod != null) {
            apply(new SeatPoolCancellationScheduled(poolId, orgId, currentPeriod.end()));
        }
    }

    private void applyProviderQuantity(int quantity, Instant now) {
        if (quantity < 0) {
            throw Rejection.NEGATIVE_QUANTITY.exception();
        }
        if (pendingResize != null) {
            if (pendingResize.seats() == quantity) {
                confirmPendingResize(now);
            }
            return;
        }
        // A change scheduled for the period's end reaches Stripe's quantity when it takes effect (a subscription schedule
        // phase); pools scheduled before that sent it to Stripe at once, so its quantity may already be the scheduled one.
        boolean billedAsScheduled = scheduledChange != null && scheduledChange.seats() == quantity;
        if (quantity != capacity && !billedAsScheduled) {
            forceCapacity(quantity, now);
        }
    }

    /**
     * One payment of the pool as the provider holds it now. A refund is recorded once per increase of the refunded
     * amount; a full refund of an order ends the pool. A dispute suspends the pool while it is open, a won one lifts
     * that suspension, a lost one ends the pool. Applied from the provider's current state, so any order and any
     * number of deliveries lead to the same result.
     */
    @CommandHandler
    public void handle(ApplyPaymentState command, Clock clock) {
        requireTenant(command.orgId());
        PaymentState payment = command.payment();
        ProviderReports.requireValid(payment);
        if (status == PoolStatus.CANCELED || status == PoolStatus.AWAITING_PAYMENT) {
            return;
        }
        Instant now = clock.instant();
        long refundedNow = paymentStanding().newlyRefunded(payment);
        if (refundedNow > 0) {
            apply(new PaymentRefunded(poolId, orgId, payment.chargeId(), payment.amount(), payment.amountRefunded(), payment.currency(),
                    payment.fullyRefunded(), now, PoolCharges.refund(capacity, refundedNow, payment.currency(), pricing)));
            if (payment.fullyRefunded() && kind == PoolKind.ORDER) {
                cancelNow(now, RevocationReason.ORDER_REFUNDED);
                return;
            }
        }
        if (payment.disputeId() == null) {
            return;
        }
        switch (payment.dispute()) {
            case OPEN -> {
                if (!paymentStanding().isOpen(payment.disputeId())) {
                    apply(new SeatPoolSuspended(poolId, orgId, SuspensionCause.DISPUTE, payment.disputeId(), now));
                }
            }
            case WON -> {
                if (paymentStanding().isOpen(payment.disputeId())) {
                    apply(new SeatPoolSuspensionLifted(poolId, orgId, SuspensionCause.DISPUTE, payment.disputeId(),
                            paymentStanding().statusWithout(SuspensionCause.DISPUTE, payment.disputeId()), now));
                }
            }
            case LOST -> cancelNow(now, RevocationReason.DISPUTE_LOST);
        }
    }

    // ---------------------------------------------------------------- rules shared by the handlers

    private void requireTenant(String commandOrgId) {
        if (!orgId.equals(commandOrgId)) {
            // Never reveal that another tenant's pool exists.
            throw Rejection.NO_SUCH_POOL.exception();
        }
    }

    private void requireActive() {
        if (status != PoolStatus.ACTIVE) {
            throw Rejection.ASSIGNING_IN_INACTIVE_POOL.exception(status);
        }
    }

    /** A past-due pool's grace ended ({@link SeatPoolGraceExpired} clears its end; recovery makes the pool active). */
    private boolean graceExpired() {
        return status == PoolStatus.PAST_DUE && graceEndsAt == null;
    }

    private void requireUsable() {
        if (status == PoolStatus.AWAITING_PAYMENT || status == PoolStatus.CANCELED) {
            throw Rejection.POOL_IS.exception(status);
        }
    }

    private void requireNotCanceled() {
        if (status == PoolStatus.CANCELED) {
            throw Rejection.POOL_IS.exception(status);
        }
    }

    private Seat requireSeat(String seatId) {
        Seat seat = seats.get(seatId);
        if (seat == null) {
            throw Rejection.NO_SUCH_SEAT.exception();
        }
        return seat;
    }

    private PaymentStanding paymentStanding() {
        return new PaymentStanding(unpaid, openDisputes, refunded);
    }

    private Capacity seatCapacity() {
        return new Capacity(capacity, occupied);
    }

    /** A pool bought without Stripe Checkout is invoiced by its vendor, from the charges its events carry. */
    private boolean isInvoicedManually() {
        return stripe == null;
    }

    // ---------------------------------------------------------------- state changes

    @EventSourcingHandler
    void on(SeatPoolPurchased event) {
        poolId = event.poolId();
        orgId = event.orgId();
        kind = event.kind();
        status = event.status();
        interval = event.interval();
        pricing = event.pricing();
        capacity = event.capacity();
        currentPeriod = event.currentPeriod();
        stripe = event.stripe();
        createdAt = event.purchasedAt();
    }

    @EventSourcingHandler
    void on(SeatPoolActivated event) {
        status = PoolStatus.ACTIVE;
        currentPeriod = event.currentPeriod();
        stripe = event.stripe();
    }

    @EventSourcingHandler
    void on(SeatAssigned event) {
        seats.put(Seat.pending(event.seatId(), event.email(), event.invitationTokenHash(), event.expiresAt(), event.assignedAt(), event.metadata()));
        occupied++;
    }

    @EventSourcingHandler
    void on(InvitationReissued event) {
        seats.put(seats.get(event.seatId()).reinvited(event.invitationTokenHash(), event.expiresAt()));
    }

    @EventSourcingHandler
    void on(SeatClaimed event) {
        seats.put(seats.get(event.seatId()).claimedBy(event.holderUserId(), event.claimedAt()));
        claimed++;
    }

    @EventSourcingHandler
    void on(SeatRevoked event) {
        Seat revoked = seats.get(event.seatId());
        seats.put(revoked.revoked(event.revokedAt()));
        occupied--;
        if (revoked.status() == SeatStatus.CLAIMED) {
            claimed--;
        }
    }

    @EventSourcingHandler
    void on(SeatExpired event) {
        seats.put(seats.get(event.seatId()).expired());
        occupied--;
    }

    @EventSourcingHandler
    void on(SeatTransferred event) {
        Seat from = seats.get(event.fromSeatId());
        seats.put(from.revoked(event.transferredAt()));
        seats.put(Seat.pending(event.toSeatId(), event.toEmail(), event.invitationTokenHash(), event.expiresAt(), event.transferredAt(), from.metadata()));
        if (from.status() == SeatStatus.CLAIMED) {
            claimed--;
        }
    }

    @EventSourcingHandler
    void on(SeatPoolResized event) {
        capacity = event.capacity();
        pendingResize = null;
    }

    @EventSourcingHandler
    void on(SeatPoolResizeScheduled event) {
        scheduledChange = new ScheduledChange(event.seats(), event.effectiveAt());
        pendingResize = null;
    }

    @EventSourcingHandler
    void on(ScheduledResizeReplaced event) {
        scheduledChange = null;
    }

    @EventSourcingHandler
    void on(SeatPoolResizeRequested event) {
        pendingResize = event;
    }

    @EventSourcingHandler
    void on(SeatPoolResizeFailed event) {
        pendingResize = null;
    }

    @EventSourcingHandler
    void on(SeatCapacityForced event) {
        capacity = event.capacity();
        pendingResize = null;
        scheduledChange = null;
    }

    @EventSourcingHandler
    void on(CheckoutSessionOpened event) {
        stripe = StripeLinks.merged(stripe, new StripeSubscription(null, null, null, event.checkoutSessionId()));
    }

    @EventSourcingHandler
    void on(SeatPoolCancellationWithdrawn event) {
        cancelAtPeriodEnd = false;
    }

    @EventSourcingHandler
    void on(BillingIntervalChanged event) {
        interval = event.interval();
    }

    @EventSourcingHandler
    void on(BillingPeriodRenewed event) {
        currentPeriod = event.period();
        scheduledChange = null;
    }

    @EventSourcingHandler
    void on(SeatPoolWentPastDue event) {
        status = PoolStatus.PAST_DUE;
        graceEndsAt = event.graceEndsAt();
    }

    @EventSourcingHandler
    void on(SeatPoolGraceExpired event) {
        graceEndsAt = null;
    }

    @EventSourcingHandler
    void on(SeatPoolPaymentRecovered event) {
        status = PoolStatus.ACTIVE;
        graceEndsAt = null;
    }

    @EventSourcingHandler
    void on(SeatPoolSuspended event) {
        status = PoolStatus.SUSPENDED;
        graceEndsAt = null;
        if (event.cause() == SuspensionCause.UNPAID) {
            unpaid = true;
        } else {
            openDisputes.add(event.disputeId());
        }
    }

    @EventSourcingHandler
    void on(SeatPoolSuspensionLifted event) {
        if (event.cause() == SuspensionCause.UNPAID) {
            unpaid = false;
        } else {
            openDisputes.remove(event.disputeId());
        }
        status = event.status();
    }

    @EventSourcingHandler
    void on(PaymentRefunded event) {
        refunded.put(event.chargeId(), event.amountRefunded());
    }

    @EventSourcingHandler
    void on(SeatPoolCancellationScheduled event) {
        cancelAtPeriodEnd = true;
    }

    @EventSourcingHandler
    void on(SeatPoolCanceled event) {
        status = PoolStatus.CANCELED;
        cancelAtPeriodEnd = false;
        unpaid = false;
        openDisputes.clear();
        scheduledChange = null;
        pendingResize = null;
    }

    // ---------------------------------------------------------------- what the answers show

    /** The pool as it stands now, at the version of its last applied event. */
    private PoolState state() {
        return new PoolState(poolId, orgId, kind, status, interval, capacity, occupied - claimed, claimed, pricing, currentPeriod,
                cancelAtPeriodEnd, scheduledChange, stripe, Objects.requireNonNullElse(getVersion(), -1L), createdAt);
    }

    private SeatState seatState(String seatId) {
        return seats.get(seatId).state(poolId, orgId);
    }
}
