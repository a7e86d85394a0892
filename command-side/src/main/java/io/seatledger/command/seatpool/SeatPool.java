package io.seatledger.command.seatpool;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.seatledger.command.pricing.Proration;
import io.seatledger.command.pricing.SeatPrice;
import io.seatledger.command.seatpool.Deadlines.GraceEnds;
import io.seatledger.command.seatpool.Deadlines.InvitationsDue;
import io.seatledger.command.seatpool.Deadlines.PeriodEnds;
import io.seatledger.messages.common.AlreadyApplied;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.common.PlainText;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.common.UserIds;
import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.*;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.interceptors.MessageHandlerInterceptor;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.getVersion;

/**
 * A pool of seats an organization bought. It is the one consistency boundary for its seats:
 * capacity, duplicate e-mails, invitation validity and every state transition are decided here,
 * so concurrent requests can never over-assign.
 */
@Aggregate(snapshotTriggerDefinition = "seatPoolSnapshotTrigger", cache = "seatPoolCache")
// The layout of its snapshots: snapshots of another revision are ignored and the pool is rebuilt from its events.
@Revision("3")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public class SeatPool {

    static final int MAX_METADATA_ENTRIES = 20;
    static final int MAX_METADATA_KEY_LENGTH = 40;
    static final int MAX_METADATA_VALUE_LENGTH = 500;
    /** How long a request id is remembered, so a retried request records nothing new. */
    static final Duration REQUEST_MEMORY = Duration.ofHours(24);

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
    /** Why the pool is suspended: unpaid renewal, and the disputes still open over its payments. */
    private boolean unpaid;
    private Set<String> openDisputes = new HashSet<>();
    /** How much of each of the pool's payments the provider refunded so far, by charge. */
    private Map<String, Long> refunded = new HashMap<>();
    @JsonIgnore
    private Map<String, Seat> seats = new HashMap<>();
    private LinkedHashMap<String, Instant> recentRequests = new LinkedHashMap<>();

    /** Lookups derived from {@link #seats}; kept out of snapshots and rebuilt on first use. */
    @JsonIgnore
    private transient SeatIndex index;

    protected SeatPool() {
    }

    /**
     * In a snapshot the seats are a list, each seat carrying its id: as a map's keys the ids would be read as
     * field names (a symbol table of 100,000 names for a large pool) and kept twice.
     */
    @JsonProperty("seats")
    private Collection<Seat> seatsForSnapshot() {
        return seats.values();
    }

    @JsonProperty("seats")
    private void seatsFromSnapshot(List<Seat> restored) {
        seats = new HashMap<>(Math.max(16, restored.size() * 4 / 3 + 1));
        restored.forEach(seat -> seats.put(seat.seatId(), seat));
        index = null;
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
            throw invalid("the command's metadata must not contain control characters");
        }
        return chain.proceed();
    }

    // ---------------------------------------------------------------- idempotency

    @CommandHandlerInterceptor
    public Object skipRepeatedRequest(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        Object requestId = command.getMetaData().get(AuditMetadata.REQUEST_ID);
        if (requestId != null && recentRequests.containsKey(requestId.toString())) {
            return new AlreadyApplied(requestId.toString());
        }
        return chain.proceed();
    }

    @MessageHandlerInterceptor(messageType = EventMessage.class)
    public Object rememberRequest(EventMessage<?> event, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        Object requestId = event.getMetaData().get(AuditMetadata.REQUEST_ID);
        if (requestId != null) {
            recentRequests.putIfAbsent(requestId.toString(), event.getTimestamp());
            forgetRequestsBefore(event.getTimestamp().minus(REQUEST_MEMORY));
        }
        return result;
    }

    private void forgetRequestsBefore(Instant horizon) {
        Iterator<Instant> oldestFirst = recentRequests.values().iterator();
        while (oldestFirst.hasNext() && oldestFirst.next().isBefore(horizon)) {
            oldestFirst.remove();
        }
    }

    // ---------------------------------------------------------------- purchase and payment

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public PoolState handle(PurchaseSeatPool command, Clock clock, DeadlineManager deadlines) {
        if (poolId != null) {
            throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "a pool with this id already exists");
        }
        requireUuid(command.poolId(), "poolId");
        if (command.kind() == null) {
            throw invalid("kind is required");
        }
        if (command.seats() < 1) {
            throw invalid("seats must be at least 1");
        }
        if (command.pricing() == null) {
            throw invalid("pricing is required");
        }
        if (command.kind() == PoolKind.SUBSCRIPTION && command.interval() == null) {
            throw invalid("a subscription needs an interval (month or year)");
        }
        if (command.kind() == PoolKind.ORDER && command.interval() != null) {
            throw invalid("an order is paid once and has no interval");
        }
        requirePlain(command.checkout());
        Instant now = clock.instant();
        boolean awaitsPayment = command.checkout() != null;
        BillingPeriod period = awaitsPayment || command.kind() == PoolKind.ORDER ? null : BillingPeriod.startingAt(now, command.interval());
        apply(new SeatPoolPurchased(command.poolId(), command.orgId(), command.kind(), command.seats(), command.pricing(),
                command.interval(), awaitsPayment ? PoolStatus.AWAITING_PAYMENT : PoolStatus.ACTIVE, period, command.checkout(), now,
                awaitsPayment ? null : periodCharge(command.pricing(), command.seats(), period, now)));
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
        ErrorCode problem = problemAssigning(command.seatId(), command.email(), command.immediateClaim(), command.holderUserId(),
                command.metadata(), Set.of(), Set.of());
        if (problem != null) {
            throw new SeatLedgerException(problem, describe(problem));
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(policy.invitationValidity());
        return openingInvitations(expiresAt, policy, deadlines, () -> assign(command.seatId(), command.email(), command.immediateClaim(),
                command.holderUserId(), command.metadata(), now, expiresAt));
    }

    @CommandHandler
    public BulkAssignment handle(AssignSeats command, Clock clock, SeatPolicy policy, DeadlineManager deadlines) {
        requireTenant(command.orgId());
        requireActive();
        if (command.seats() == null || command.seats().isEmpty() || command.seats().size() > policy.maxBulkSeats()) {
            throw invalid("a bulk assignment holds 1 to " + policy.maxBulkSeats() + " seats");
        }
        List<SeatRequest> accepted = new ArrayList<>();
        List<SeatRejection> rejected = new ArrayList<>();
        Set<String> emailsInRequest = new HashSet<>();
        Set<String> holdersInRequest = new HashSet<>();
        int free = capacity - occupied;
        for (int i = 0; i < command.seats().size(); i++) {
            SeatRequest request = command.seats().get(i);
            ErrorCode problem = problemAssigning(request.seatId(), request.email(), request.immediateClaim(), request.holderUserId(),
                    request.metadata(), emailsInRequest, holdersInRequest);
            if (problem == null && accepted.size() >= free) {
                problem = ErrorCode.SEAT_CAPACITY_EXCEEDED;
            }
            if (problem == null) {
                accepted.add(request);
                emailsInRequest.add(PersonalData.subject(request.email()));
                if (request.holderUserId() != null) {
                    holdersInRequest.add(request.holderUserId());
                }
            } else {
                rejected.add(new SeatRejection(i, request.email(), problem));
            }
        }
        if (command.atomic() && !rejected.isEmpty()) {
            return new BulkAssignment(List.of(), rejected);
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(policy.invitationValidity());
        List<SeatAssignment> assigned = openingInvitations(expiresAt, policy, deadlines, () -> accepted.stream()
                .map(request -> assign(request.seatId(), request.email(), request.immediateClaim(), request.holderUserId(), request.metadata(),
                        now, expiresAt))
                .toList());
        return new BulkAssignment(assigned, rejected);
    }

    /**
     * The first rule a new seat would break, or null when it may be assigned (capacity is checked by the caller for bulk).
     * A seat claimed at once needs its holder's user id, and an invitation has none; a holder holds one seat per pool.
     */
    private ErrorCode problemAssigning(String seatId, String email, boolean immediateClaim, String holderUserId, Map<String, String> metadata,
                                       Set<String> emailsAlsoTaken, Set<String> holdersAlsoTaken) {
        if (!PersonalData.isValid(email) || !isUuid(seatId) || !validMetadata(metadata)
                || (immediateClaim ? !UserIds.isValid(holderUserId) : holderUserId != null)) {
            return ErrorCode.VALIDATION_FAILED;
        }
        if (seats.containsKey(seatId)) {
            return ErrorCode.INVALID_SEAT_STATE;
        }
        String subject = PersonalData.subject(email);
        if (index().occupiedSeatOf(subject) != null || emailsAlsoTaken.contains(subject)) {
            return ErrorCode.SEAT_ALREADY_ASSIGNED;
        }
        if (holderUserId != null && (index().claimedSeatOf(holderUserId) != null || holdersAlsoTaken.contains(holderUserId))) {
            return ErrorCode.SEAT_ALREADY_ASSIGNED;
        }
        if (occupied >= capacity) {
            return ErrorCode.SEAT_CAPACITY_EXCEEDED;
        }
        return null;
    }

    private SeatAssignment assign(String seatId, String email, boolean immediateClaim, String holderUserId, Map<String, String> metadata,
                                  Instant now, Instant expiresAt) {
        String address = PersonalData.stored(email);
        Map<String, String> seatMetadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (immediateClaim) {
            apply(new SeatAssigned(poolId, orgId, seatId, address, null, null, seatMetadata, now));
            apply(new SeatClaimed(poolId, orgId, seatId, holderUserId, now));
            return new SeatAssignment(seatState(seatId), null);
        }
        InvitationToken token = InvitationToken.issue(UUID.fromString(poolId), UUID.fromString(seatId));
        apply(new SeatAssigned(poolId, orgId, seatId, address, token.sha256(), expiresAt, seatMetadata, now));
        return new SeatAssignment(seatState(seatId), new Invitation(token.value(), expiresAt));
    }

    @CommandHandler
    public SeatAssignment handle(ResendInvitation command, Clock clock, SeatPolicy policy, DeadlineManager deadlines) {
        requireTenant(command.orgId());
        requireNotCanceled();
        Seat seat = requireSeat(command.seatId());
        if (seat.status() != SeatStatus.PENDING) {
            throw new SeatLedgerException(ErrorCode.INVALID_SEAT_STATE, "only a pending seat's invitation can be resent");
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
            throw new SeatLedgerException(ErrorCode.INVITATION_INVALID, "this invitation is unknown or was already used");
        }
        if (!status.inService(graceExpired())) {
            // The invitation stays open: it can be claimed once the pool is paid for again.
            throw notActive("a seat can only be claimed in an active pool, or one past due within its grace period");
        }
        Instant now = clock.instant();
        if (!now.isBefore(seat.expiresAt())) {
            throw new SeatLedgerException(ErrorCode.INVITATION_EXPIRED, "this invitation expired");
        }
        if (command.requireEmailMatch() && !PersonalData.sameSubject(seat.email(), command.email())) {
            throw new SeatLedgerException(ErrorCode.EMAIL_MISMATCH, "this invitation was sent to another e-mail address");
        }
        if (command.userId() == null || command.userId().isBlank()) {
            throw invalid("a claim needs the claiming user's id");
        }
        PlainText.requirePlain("the claiming user's id", command.userId());
        if (index().claimedSeatOf(command.userId()) != null) {
            throw new SeatLedgerException(ErrorCode.SEAT_ALREADY_ASSIGNED, "this user already holds a seat in this pool");
        }
        apply(new SeatClaimed(poolId, orgId, seat.seatId(), command.userId(), now));
        return seatState(seat.seatId());
    }

    @CommandHandler
    public SeatState handle(RevokeSeat command, Clock clock) {
        requireTenant(command.orgId());
        Seat seat = requireSeat(command.seatId());
        if (!seat.status().occupiesCapacity()) {
            throw new SeatLedgerException(ErrorCode.INVALID_SEAT_STATE, "the seat is already " + seat.status().name().toLowerCase());
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
            throw new SeatLedgerException(ErrorCode.INVALID_SEAT_STATE, "only a pending or claimed seat can be transferred");
        }
        if (!PersonalData.isValid(command.newEmail()) || !isUuid(command.newSeatId())) {
            throw invalid("the transfer needs a valid e-mail address");
        }
        if (seats.containsKey(command.newSeatId())) {
            throw new SeatLedgerException(ErrorCode.INVALID_SEAT_STATE, "the new seat id is taken");
        }
        if (index().occupiedSeatOf(PersonalData.subject(command.newEmail())) != null) {
            throw new SeatLedgerException(ErrorCode.SEAT_ALREADY_ASSIGNED, "that address already holds a seat in this pool");
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
        NavigableMap<Instant, Set<String>> dueSeats = index().pendingExpiringBy(due.at());
        List<Seat> expiring = dueSeats.values().stream().flatMap(Set::stream).map(seats::get)
                .sorted(Comparator.comparing(Seat::expiresAt).thenComparing(Seat::seatId)).toList();
        for (Seat seat : expiring) {
            apply(new SeatExpired(poolId, orgId, seat.seatId(), seat.expiresAt()));
        }
    }

    // ---------------------------------------------------------------- capacity

    @CommandHandler
    public ResizeResult handle(ResizeSeatPool command, Clock clock) {
        requireTenant(command.orgId());
        if (kind == PoolKind.ORDER) {
            throw new SeatLedgerException(ErrorCode.POOL_NOT_RESIZABLE, "an order is fixed; buy another pool instead");
        }
        requireUsable();
        if (command.seats() < 1 || command.timing() == null || command.prorationBehavior() == null) {
            throw invalid("a resize needs seats of at least 1, a timing and a proration behaviour");
        }
        if (status == PoolStatus.SUSPENDED && command.seats() > capacity) {
            // more seats would be billed on a payment that is unpaid or disputed; fewer only lower what is owed
            throw notActive("the pool is suspended until its payment is settled: it may shrink, not grow");
        }
        if (command.seats() < occupied) {
            throw new SeatLedgerException(ErrorCode.RESIZE_BELOW_OCCUPIED,
                    command.seats() + " seats are fewer than the " + occupied + " pending and claimed ones; revoke seats first");
        }
        Instant now = clock.instant();
        if (isBilledByStripe()) {
            if (pendingResize != null) {
                throw new SeatLedgerException(ErrorCode.POOL_NOT_RESIZABLE, "a previous resize still waits for Stripe");
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
            apply(new SeatPoolResized(poolId, orgId, capacity, seatCount, proration, now, prorationCharge(seatCount, proration, now)));
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
            apply(new SeatCapacityForced(poolId, orgId, capacity, confirmed.seats(), overAllocationAt(confirmed.seats()), now));
        } else {
            resize(confirmed.seats(), confirmed.timing(), confirmed.prorationBehavior(), now);
        }
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
            throw new SeatLedgerException(ErrorCode.POOL_NOT_RESIZABLE, "an order is paid once and has no billing interval");
        }
        requireUsable();
        if (isBilledByStripe()) {
            // Stripe bills the interval through the subscription's price: it changes there and follows by webhook.
            throw new SeatLedgerException(ErrorCode.POOL_NOT_RESIZABLE,
                    "a pool billed by Stripe changes its interval in Stripe (customer portal or dashboard); the pool follows");
        }
        if (command.interval() == null) {
            throw invalid("interval must be month or year");
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
            int seatCount = Math.max(scheduledChange.seats(), occupied);
            if (providerQuantity != null && providerQuantity < seatCount && pendingResize == null) {
                // Stripe applied the quantity scheduled earlier, but more seats are in use now: they are billed from the new
                // period's start (prorated), and the capacity follows when Stripe has taken it.
                apply(new SeatPoolResizeRequested(poolId, orgId, seatCount, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS, end));
            } else if (seatCount != capacity) {
                apply(new SeatPoolResized(poolId, orgId, capacity, seatCount, ProrationBehavior.NONE, end));
            }
        }
        apply(new BillingPeriodRenewed(poolId, orgId, next, isInvoicedManually() ? periodCharge(pricing, capacity, next, next.start()) : null));
        if (!isBilledByStripe()) {
            schedulePeriodEnd(deadlines);
        }
    }

    private void goPastDue(Instant graceEnd, Instant now, DeadlineManager deadlines) {
        if (graceEnd == null) {
            throw invalid("graceEndsAt is required");
        }
        apply(new SeatPoolWentPastDue(poolId, orgId, graceEnd, now));
        deadlines.schedule(graceEnd, Deadlines.GRACE_END, systemMessage(new GraceEnds(graceEnd), graceEnd, "grace_period_ended"));
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
            throw invalid("an order has no period to end; cancel it now");
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
        List<Seat> inUse = seats.values().stream().filter(seat -> seat.status().occupiesCapacity())
                .sorted(Comparator.comparing(Seat::seatId)).toList();
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
            throw invalid("checkoutSessionId is required");
        }
        PlainText.requirePlain("checkoutSessionId", command.checkoutSessionId());
        if (stripe == null) {
            throw invalid("only a pool bought through Stripe Checkout is paid in a checkout session");
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
        if (state == null || state.payment() == null) {
            throw invalid("the provider's state is required");
        }
        requirePlain(state.stripe());
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
                        throw invalid("a subscription is activated with its first billing period");
                    }
                    apply(new SeatPoolActivated(poolId, orgId, state.period(), linksWith(state.stripe()), now));
                } else if (status == PoolStatus.PAST_DUE) {
                    apply(new SeatPoolPaymentRecovered(poolId, orgId, now));
                } else if (unpaid) {
                    apply(new SeatPoolSuspensionLifted(poolId, orgId, SuspensionCause.UNPAID, null,
                            openDisputes.isEmpty() ? PoolStatus.ACTIVE : PoolStatus.SUSPENDED, now));
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
            throw invalid("a quantity must not be negative");
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
            apply(new SeatCapacityForced(poolId, orgId, capacity, quantity, overAllocationAt(quantity), now));
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
        if (payment == null || payment.chargeId() == null || payment.chargeId().isBlank() || payment.amount() < 0 || payment.amountRefunded() < 0
                || (payment.disputeId() == null) != (payment.dispute() == null)) {
            throw invalid("a payment needs its charge id, amounts of at least 0, and a dispute's id with its status");
        }
        PlainText.requirePlain("chargeId", payment.chargeId());
        PlainText.requirePlain("disputeId", payment.disputeId());
        PlainText.requirePlain("currency", payment.currency());
        if (status == PoolStatus.CANCELED || status == PoolStatus.AWAITING_PAYMENT) {
            return;
        }
        Instant now = clock.instant();
        if (payment.amountRefunded() > refunded.getOrDefault(payment.chargeId(), 0L)) {
            long refundedNow = payment.amountRefunded() - refunded.getOrDefault(payment.chargeId(), 0L);
            apply(new PaymentRefunded(poolId, orgId, payment.chargeId(), payment.amount(), payment.amountRefunded(), payment.currency(),
                    payment.fullyRefunded(), now, new Charge(capacity, -refundedNow, payment.currency() == null ? pricing.currency() : payment.currency(), null, null)));
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
                if (!openDisputes.contains(payment.disputeId())) {
                    apply(new SeatPoolSuspended(poolId, orgId, SuspensionCause.DISPUTE, payment.disputeId(), now));
                }
            }
            case WON -> {
                if (openDisputes.contains(payment.disputeId())) {
                    boolean lastCause = !unpaid && openDisputes.size() == 1;
                    apply(new SeatPoolSuspensionLifted(poolId, orgId, SuspensionCause.DISPUTE, payment.disputeId(),
                            lastCause ? PoolStatus.ACTIVE : PoolStatus.SUSPENDED, now));
                }
            }
            case LOST -> cancelNow(now, RevocationReason.DISPUTE_LOST);
        }
    }

    private StripeSubscription linksWith(StripeSubscription reported) {
        if (reported == null) {
            return stripe;
        }
        if (stripe == null) {
            return reported;
        }
        return new StripeSubscription(
                firstKnown(reported.customerId(), stripe.customerId()),
                firstKnown(reported.subscriptionId(), stripe.subscriptionId()),
                firstKnown(reported.subscriptionItemId(), stripe.subscriptionItemId()),
                firstKnown(reported.checkoutSessionId(), stripe.checkoutSessionId()));
    }

    private static String firstKnown(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }

    // ---------------------------------------------------------------- charges of a manually invoiced pool

    /** A pool bought without Stripe Checkout is invoiced by its vendor, from the charges its events carry. */
    private boolean isInvoicedManually() {
        return stripe == null;
    }

    /** What {@code seats} cost for {@code period} (for an order, which has none: once, from {@code at} on). */
    private static Charge periodCharge(Pricing pricing, int seats, BillingPeriod period, Instant at) {
        return new Charge(seats, SeatPrice.amountFor(pricing, seats), pricing.currency(), period == null ? at : period.start(),
                period == null ? null : period.end());
    }

    /** The prorated difference for the rest of the period when a manually invoiced pool is resized now; null when none is due. */
    private Charge prorationCharge(int seatCount, ProrationBehavior proration, Instant now) {
        if (!isInvoicedManually() || proration == ProrationBehavior.NONE || currentPeriod == null) {
            return null;
        }
        long amount = Proration.preview(pricing, capacity, seatCount, currentPeriod, ResizeTiming.NOW, now).prorationAmount();
        return amount == 0 ? null : new Charge(seatCount, amount, pricing.currency(), now, currentPeriod.end());
    }

    // ---------------------------------------------------------------- rules shared by the handlers

    private void requireTenant(String commandOrgId) {
        if (!orgId.equals(commandOrgId)) {
            // Never reveal that another tenant's pool exists.
            throw new SeatLedgerException(ErrorCode.NOT_FOUND, "no such seat pool");
        }
    }

    private void requireActive() {
        if (status != PoolStatus.ACTIVE) {
            throw notActive("seats can only be assigned in an active pool; this one is " + status.name().toLowerCase());
        }
    }

    /** A past-due pool's grace ended ({@link SeatPoolGraceExpired} clears its end; recovery makes the pool active). */
    private boolean graceExpired() {
        return status == PoolStatus.PAST_DUE && graceEndsAt == null;
    }

    private void requireUsable() {
        if (status == PoolStatus.AWAITING_PAYMENT || status == PoolStatus.CANCELED) {
            throw notActive("the pool is " + status.name().toLowerCase());
        }
    }

    private void requireNotCanceled() {
        if (status == PoolStatus.CANCELED) {
            throw notActive("the pool is canceled");
        }
    }

    private Seat requireSeat(String seatId) {
        Seat seat = seatId == null ? null : seats.get(seatId);
        if (seat == null) {
            throw new SeatLedgerException(ErrorCode.NOT_FOUND, "no such seat");
        }
        return seat;
    }

    private int overAllocationAt(int newCapacity) {
        return Math.max(0, occupied - newCapacity);
    }

    private boolean isBilledByStripe() {
        return stripe != null && stripe.subscriptionItemId() != null;
    }

    private static boolean validMetadata(Map<String, String> metadata) {
        if (metadata == null) {
            return true;
        }
        return metadata.size() <= MAX_METADATA_ENTRIES && metadata.entrySet().stream().allMatch(entry ->
                entry.getKey() != null && !entry.getKey().isBlank() && entry.getKey().length() <= MAX_METADATA_KEY_LENGTH
                        && entry.getValue() != null && entry.getValue().length() <= MAX_METADATA_VALUE_LENGTH
                        && PlainText.isPlain(entry.getKey()) && PlainText.isPlain(entry.getValue()));
    }

    /** Stripe's ids are stored in events like any other text. */
    private static void requirePlain(StripeSubscription links) {
        if (links != null) {
            PlainText.requirePlain("customerId", links.customerId());
            PlainText.requirePlain("subscriptionId", links.subscriptionId());
            PlainText.requirePlain("subscriptionItemId", links.subscriptionItemId());
            PlainText.requirePlain("checkoutSessionId", links.checkoutSessionId());
        }
    }

    private static String describe(ErrorCode problem) {
        return switch (problem) {
            case VALIDATION_FAILED -> "the seat needs a valid e-mail address and at most " + MAX_METADATA_ENTRIES
                    + " metadata entries (keys up to " + MAX_METADATA_KEY_LENGTH + " characters, values up to " + MAX_METADATA_VALUE_LENGTH
                    + "), none with control characters; a seat claimed at once needs the holder's userId (1 to " + UserIds.MAX_LENGTH
                    + " characters, no control characters), an invitation takes none";
            case SEAT_ALREADY_ASSIGNED -> "that address already holds a pending or claimed seat in this pool, or that user a claimed one";
            case SEAT_CAPACITY_EXCEEDED -> "every seat of the pool is taken";
            case INVALID_SEAT_STATE -> "the seat id is taken";
            default -> problem.name();
        };
    }

    private static boolean isUuid(String id) {
        try {
            return id != null && UUID.fromString(id).toString().equals(id.toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void requireUuid(String id, String field) {
        if (!isUuid(id)) {
            throw invalid(field + " must be a UUID");
        }
    }

    private static SeatLedgerException invalid(String detail) {
        return new SeatLedgerException(ErrorCode.VALIDATION_FAILED, detail);
    }

    private static SeatLedgerException notActive(String detail) {
        return new SeatLedgerException(ErrorCode.POOL_NOT_ACTIVE, detail);
    }

    // ---------------------------------------------------------------- deadlines

    /**
     * Invitations are expired by one check per interval of expiry times (a minute by default), not one per
     * invitation: scheduling a durable deadline costs database round trips, and a pool may hand out
     * thousands of invitations a minute. A claim still honours the exact expiry; the capacity is freed
     * when the check runs, at the end of the interval.
     */
    static ExpiryCheck expiryCheckFor(Instant expiresAt, SeatPolicy policy) {
        long step = policy.expiryCheckInterval().toMillis();
        Instant runsAt = Instant.ofEpochMilli(Math.floorDiv(expiresAt.toEpochMilli(), step) * step);
        if (runsAt.isBefore(expiresAt)) {
            runsAt = runsAt.plusMillis(step);
        }
        return new ExpiryCheck(runsAt.minusMillis(step), runsAt);
    }

    /** The expiry check at {@code runsAt} expires the pending invitations of (from, runsAt]. */
    record ExpiryCheck(Instant from, Instant runsAt) {
    }

    /**
     * Applies {@code opening}, whose events may open invitations expiring at {@code expiresAt}, and schedules
     * the expiry check of their interval if it left a pending invitation there while there was none before
     * (whoever put the earlier one there scheduled the check already).
     */
    private <T> T openingInvitations(Instant expiresAt, SeatPolicy policy, DeadlineManager deadlines, Supplier<T> opening) {
        ExpiryCheck check = expiryCheckFor(expiresAt, policy);
        boolean alreadyScheduled = index().hasPendingExpiringWithin(check);
        T opened = opening.get();
        if (!alreadyScheduled && index().hasPendingExpiringWithin(check)) {
            Instant at = check.runsAt();
            deadlines.schedule(at, Deadlines.INVITATION_EXPIRY, systemMessage(new InvitationsDue(at), at, "invitation_expired"));
        }
        return opened;
    }

    private void schedulePeriodEnd(DeadlineManager deadlines) {
        Instant at = currentPeriod.end();
        deadlines.schedule(at, Deadlines.PERIOD_END, systemMessage(new PeriodEnds(at), at, "period_ended"));
    }

    /** Deadlines act for the system, not for whoever caused them to be scheduled. */
    private Message<?> systemMessage(Object payload, Instant dueAt, String reason) {
        String requestId = "deadline:" + reason + ":" + poolId + ":" + dueAt;
        return GenericMessage.asMessage(payload).andMetaData(AuditMetadata.system(orgId, requestId, reason).asMap());
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
        put(Seat.pending(event.seatId(), event.email(), event.invitationTokenHash(), event.expiresAt(), event.assignedAt(), event.metadata()));
        occupied++;
    }

    @EventSourcingHandler
    void on(InvitationReissued event) {
        put(seats.get(event.seatId()).reinvited(event.invitationTokenHash(), event.expiresAt()));
    }

    @EventSourcingHandler
    void on(SeatClaimed event) {
        put(seats.get(event.seatId()).claimedBy(event.holderUserId(), event.claimedAt()));
        claimed++;
    }

    @EventSourcingHandler
    void on(SeatRevoked event) {
        Seat revoked = seats.get(event.seatId());
        put(revoked.revoked(event.revokedAt()));
        occupied--;
        if (revoked.status() == SeatStatus.CLAIMED) {
            claimed--;
        }
    }

    @EventSourcingHandler
    void on(SeatExpired event) {
        put(seats.get(event.seatId()).expired());
        occupied--;
    }

    @EventSourcingHandler
    void on(SeatTransferred event) {
        Seat from = seats.get(event.fromSeatId());
        put(from.revoked(event.transferredAt()));
        put(Seat.pending(event.toSeatId(), event.toEmail(), event.invitationTokenHash(), event.expiresAt(), event.transferredAt(), from.metadata()));
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
        stripe = linksWith(new StripeSubscription(null, null, null, event.checkoutSessionId()));
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

    private void put(Seat seat) {
        Seat previous = seats.put(seat.seatId(), seat);
        if (index != null) {
            index.replace(previous, seat);
        }
    }

    private SeatIndex index() {
        if (index == null) {
            index = SeatIndex.of(seats.values());
        }
        return index;
    }

    /** Fast lookups over the seats in use; pure derivation of the seat map. */
    static final class SeatIndex {
        private final Map<String, String> occupiedByEmail = new HashMap<>();
        private final Map<String, String> claimedByHolder = new HashMap<>();
        private final TreeMap<Instant, Set<String>> pendingByExpiry = new TreeMap<>();

        static SeatIndex of(Iterable<Seat> seats) {
            SeatIndex index = new SeatIndex();
            seats.forEach(seat -> index.replace(null, seat));
            return index;
        }

        void replace(Seat previous, Seat current) {
            if (previous != null) {
                remove(previous);
            }
            if (current.status().occupiesCapacity()) {
                occupiedByEmail.put(PersonalData.subject(current.email()), current.seatId());
            }
            if (current.status() == SeatStatus.CLAIMED && current.holderUserId() != null) {
                claimedByHolder.put(current.holderUserId(), current.seatId());
            }
            if (current.status() == SeatStatus.PENDING && current.expiresAt() != null) {
                pendingByExpiry.computeIfAbsent(current.expiresAt(), at -> new HashSet<>()).add(current.seatId());
            }
        }

        private void remove(Seat seat) {
            occupiedByEmail.remove(PersonalData.subject(seat.email()), seat.seatId());
            if (seat.holderUserId() != null) {
                claimedByHolder.remove(seat.holderUserId(), seat.seatId());
            }
            if (seat.status() == SeatStatus.PENDING && seat.expiresAt() != null) {
                Set<String> sameExpiry = pendingByExpiry.get(seat.expiresAt());
                if (sameExpiry != null && sameExpiry.remove(seat.seatId()) && sameExpiry.isEmpty()) {
                    pendingByExpiry.remove(seat.expiresAt());
                }
            }
        }

        /** The occupied seat of a subject ({@link PersonalData#subject}). */
        String occupiedSeatOf(String subject) {
            return occupiedByEmail.get(subject);
        }

        String claimedSeatOf(String holderUserId) {
            return claimedByHolder.get(holderUserId);
        }

        /** Whether a pending invitation expires in the check's interval. */
        boolean hasPendingExpiringWithin(ExpiryCheck check) {
            return !pendingByExpiry.subMap(check.from(), false, check.runsAt(), true).isEmpty();
        }

        /** A copy, since expiring the seats changes the index while the caller walks it. */
        NavigableMap<Instant, Set<String>> pendingExpiringBy(Instant at) {
            NavigableMap<Instant, Set<String>> due = new TreeMap<>();
            pendingByExpiry.headMap(at, true).forEach((expiry, ids) -> due.put(expiry, Set.copyOf(ids)));
            return due;
        }
    }
}
