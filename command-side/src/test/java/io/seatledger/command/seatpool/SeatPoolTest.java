package io.seatledger.command.seatpool;

import io.seatledger.command.testing.TestClock;
import io.seatledger.messages.common.AlreadyApplied;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.*;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.assertj.core.api.Assertions.assertThat;

class SeatPoolTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String ORG = "org-1";
    static final String POOL = "5f0c6a1e-3d1b-4f67-9a55-6a2c1d0e9b01";
    static final Pricing PRICING = Pricing.perSeat("eur", 1000);
    static final BillingPeriod PERIOD = BillingPeriod.startingAt(T0, BillingInterval.MONTH);
    static final Map<String, String> MANAGER = new AuditMetadata("manager-1", Set.of(), "req-1", "", ORG).asMap();

    private final TestClock clock = new TestClock(T0);
    private AggregateTestFixture<SeatPool> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture(SeatPolicy.DEFAULT);
    }

    /** A fixture serves one aggregate id and resolves each resource type to the first one registered. */
    private AggregateTestFixture<SeatPool> newFixture(SeatPolicy policy) {
        AggregateTestFixture<SeatPool> fresh = new AggregateTestFixture<>(SeatPool.class);
        fresh.registerInjectableResource(clock);
        fresh.registerInjectableResource(policy);
        return fresh;
    }

    /** A manually invoiced monthly pool bought at T0, charged its first period. */
    static SeatPoolPurchased purchased(int capacity) {
        return new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, capacity, PRICING, BillingInterval.MONTH,
                PoolStatus.ACTIVE, PERIOD, null, T0, new Charge(capacity, capacity * 1000L, "eur", PERIOD.start(), PERIOD.end()));
    }

    /** A manually invoiced pool (at {@link #PRICING}) entered {@code period} with {@code seats}, and is charged for them. */
    static BillingPeriodRenewed renewed(BillingPeriod period, int seats) {
        return new BillingPeriodRenewed(POOL, ORG, period, new Charge(seats, seats * 1000L, "eur", period.start(), period.end()));
    }

    /** What the billing provider currently holds for the pool, as the billing integration would send it (payment alone unless given). */
    static ApplyProviderState providerSays(ProviderPayment payment, StripeSubscription links, Integer quantity, BillingPeriod period, Instant graceEnds) {
        return new ApplyProviderState(POOL, ORG, new ProviderState(payment, links, quantity, null, period, false), graceEnds);
    }

    static String seatId() {
        return UUID.randomUUID().toString();
    }

    static SeatAssigned pending(String seatId, String email, String tokenHash) {
        return new SeatAssigned(POOL, ORG, seatId, email, tokenHash, T0.plus(Duration.ofDays(7)), Map.of(), T0);
    }

    static SeatAssigned pending(String seatId, String email) {
        return pending(seatId, email, "hash-" + seatId);
    }

    static SeatClaimed claimed(String seatId, String userId) {
        return new SeatClaimed(POOL, ORG, seatId, userId, T0);
    }

    /** Exactly one event: of this type, and meeting the condition. */
    static <T> Matcher<List<Message<?>>> events(Class<T> type, Predicate<T> condition) {
        return payloadsMatching(exactSequenceOf(matches(payload -> type.isInstance(payload) && condition.test(type.cast(payload))), andNoMore()));
    }

    static void expectRejection(ResultValidator<SeatPool> result, ErrorCode code) {
        result.expectNoEvents().expectException(matches(e -> e instanceof SeatLedgerException s && s.code() == code));
    }

    /** A resize's answer: its outcome, with the pool as it stands after it. */
    private static Matcher<Object> resized(ResizeOutcome outcome) {
        return matches(result -> result instanceof ResizeResult resize && resize.outcome() == outcome && resize.pool().poolId().equals(POOL));
    }

    private static Matcher<Object> matches(Predicate<Object> predicate) {
        return org.axonframework.test.matchers.Matchers.matches(predicate);
    }

    @Nested
    class Purchase {

        @Test
        void aManuallyInvoicedSubscriptionIsActiveWithItsFirstPeriodAndPeriodEndDeadline() {
            fixture.givenNoPriorActivity()
                    .when(new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH, null), MANAGER)
                    .expectEvents(purchased(10))
                    .expectResultMessagePayload(new PoolState(POOL, ORG, PoolKind.SUBSCRIPTION, PoolStatus.ACTIVE, BillingInterval.MONTH, 10, 0, 0,
                            PRICING, PERIOD, false, null, null, 0, T0))
                    .expectScheduledDeadlineWithName(PERIOD.end(), Deadlines.PERIOD_END);
        }

        @Test
        void aPoolBoughtThroughCheckoutAwaitsPaymentWithoutAPeriod() {
            StripeSubscription checkout = new StripeSubscription(null, null, null, "cs_1");
            fixture.givenNoPriorActivity()
                    .when(new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH, checkout), MANAGER)
                    .expectEvents(new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH,
                            PoolStatus.AWAITING_PAYMENT, null, checkout, T0))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void anOrderHasNoIntervalAndNoPeriod() {
            fixture.givenNoPriorActivity()
                    .when(new PurchaseSeatPool(POOL, ORG, PoolKind.ORDER, 3, PRICING, null, null), MANAGER)
                    .expectEvents(new SeatPoolPurchased(POOL, ORG, PoolKind.ORDER, 3, PRICING, null, PoolStatus.ACTIVE, null, null, T0,
                            new Charge(3, 3000, "eur", T0, null)));
        }

        @Test
        void rejectsAMalformedPurchase() {
            expectRejection(fixture.givenNoPriorActivity()
                    .when(new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, 0, PRICING, BillingInterval.MONTH, null), MANAGER), ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.givenNoPriorActivity()
                    .when(new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, 5, PRICING, null, null), MANAGER), ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.givenNoPriorActivity()
                    .when(new PurchaseSeatPool(POOL, ORG, PoolKind.ORDER, 5, PRICING, BillingInterval.YEAR, null), MANAGER), ErrorCode.VALIDATION_FAILED);
            expectRejection(newFixture(SeatPolicy.DEFAULT).givenNoPriorActivity()
                    .when(new PurchaseSeatPool("not-a-uuid", ORG, PoolKind.ORDER, 5, PRICING, null, null), MANAGER), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void buyingTheSamePoolIdAgainIsRejectedUnlessItIsTheSameRequest() {
            expectRejection(fixture.given(purchased(10))
                    .when(new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH, null),
                            new AuditMetadata("manager-1", Set.of(), "req-2", "", ORG).asMap()), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void paymentActivatesAPoolThatAwaitedIt() {
            StripeSubscription checkout = new StripeSubscription(null, null, null, "cs_1");
            StripeSubscription paid = new StripeSubscription("cus_1", "sub_1", "si_1", "cs_1");
            fixture.given(new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH,
                            PoolStatus.AWAITING_PAYMENT, null, checkout, T0))
                    .when(providerSays(ProviderPayment.PAID, paid, null, PERIOD, null))
                    .expectEvents(new SeatPoolActivated(POOL, ORG, PERIOD, paid, T0));
        }

        @Test
        void activatingAnActivePoolAgainRecordsNothing() {
            fixture.given(purchased(10)).when(providerSays(ProviderPayment.PAID, null, null, PERIOD, null)).expectNoEvents();
        }

        @Test
        void aPoolAwaitingPaymentAssignsNoSeats() {
            expectRejection(fixture.given(new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH,
                            PoolStatus.AWAITING_PAYMENT, null, new StripeSubscription(null, null, null, "cs_1"), T0))
                    .when(new AssignSeat(POOL, ORG, seatId(), "a@example.com", false, null, Map.of()), MANAGER), ErrorCode.POOL_NOT_ACTIVE);
        }
    }

    @Nested
    class Assign {

        @Test
        void issuesAnInvitationWhoseTokenOnlyAppearsInTheAnswer() {
            String seat = seatId();
            List<SeatAssignment> answers = new ArrayList<>();
            fixture.given(purchased(2))
                    .when(new AssignSeat(POOL, ORG, seat, " Ada@Example.com ", false, null, Map.of("team", "core")), MANAGER)
                    .expectEventsMatching(payloadsMatching(exactSequenceOf(matches(event -> event instanceof SeatAssigned assigned
                            && assigned.seatId().equals(seat) && assigned.email().equals("Ada@Example.com")
                            && assigned.expiresAt().equals(T0.plus(Duration.ofDays(7)))
                            && assigned.invitationTokenHash().length() == 64
                            && assigned.metadata().equals(Map.of("team", "core"))), andNoMore())))
                    .expectResultMessagePayloadMatching(matches(result -> answers.add((SeatAssignment) result)))
                    .expectScheduledDeadlineWithName(T0.plus(Duration.ofDays(7)), Deadlines.INVITATION_EXPIRY);
            SeatAssignment answer = answers.get(0);
            assertThat(answer.status()).isEqualTo(SeatStatus.PENDING);
            InvitationToken token = InvitationToken.parse(answer.invitation().token()).orElseThrow();
            assertThat(token.poolId()).hasToString(POOL);
            assertThat(token.seatId()).hasToString(seat);
        }

        @Test
        void theStoredHashIsTheTokensSha256() {
            String seat = seatId();
            List<Object> seen = new ArrayList<>();
            fixture.given(purchased(2))
                    .when(new AssignSeat(POOL, ORG, seat, "ada@example.com", false, null, Map.of()), MANAGER)
                    .expectEventsMatching(payloadsMatching(exactSequenceOf(matches(seen::add), andNoMore())))
                    .expectResultMessagePayloadMatching(matches(seen::add));
            SeatAssigned event = (SeatAssigned) seen.get(0);
            SeatAssignment answer = (SeatAssignment) seen.get(1);
            assertThat(event.invitationTokenHash()).isEqualTo(InvitationToken.hash(answer.invitation().token()));
            assertThat(event.toString()).doesNotContain(answer.invitation().token());
        }

        @Test
        void anImmediateClaimNeedsNoInvitation() {
            String seat = seatId();
            fixture.given(purchased(2))
                    .when(new AssignSeat(POOL, ORG, seat, "ada@example.com", true, "user-ada", Map.of()), MANAGER)
                    .expectEvents(new SeatAssigned(POOL, ORG, seat, "ada@example.com", null, null, Map.of(), T0), claimed(seat, "user-ada"))
                    .expectResultMessagePayload(new SeatAssignment(
                            new SeatState(seat, POOL, ORG, SeatStatus.CLAIMED, "ada@example.com", "user-ada", T0, T0, null, null, Map.of()), null))
                    .expectNoScheduledDeadlines();
        }

        @Test
        void anImmediateClaimNeedsAValidUserIdOfItsHolder() {
            List<String> notUserIds = new ArrayList<>(java.util.Arrays.asList(null, "", "   ", "u".repeat(256), "user\u0000", "user\u2028"));
            for (String notAUserId : notUserIds) {
                expectRejection(fixture.given(purchased(2))
                        .when(new AssignSeat(POOL, ORG, seatId(), "ada@example.com", true, notAUserId, Map.of()), MANAGER), ErrorCode.VALIDATION_FAILED);
            }
            String seat = seatId();
            fixture.given(purchased(2))
                    .when(new AssignSeat(POOL, ORG, seat, "ada@example.com", true, "u".repeat(255), Map.of()), MANAGER)
                    .expectEvents(new SeatAssigned(POOL, ORG, seat, "ada@example.com", null, null, Map.of(), T0), claimed(seat, "u".repeat(255)));
        }

        @Test
        void anInvitationTakesNoUserId() {
            expectRejection(fixture.given(purchased(2))
                    .when(new AssignSeat(POOL, ORG, seatId(), "ada@example.com", false, "user-ada", Map.of()), MANAGER), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void aUserWhoHoldsASeatIsNotGivenASecondOneAtOnce() {
            String held = seatId();
            expectRejection(fixture.given(purchased(5), pending(held, "ada@example.com"), claimed(held, "user-ada"))
                    .when(new AssignSeat(POOL, ORG, seatId(), "ada.work@example.com", true, "user-ada", Map.of()), MANAGER), ErrorCode.SEAT_ALREADY_ASSIGNED);
        }

        @Test
        void aSeatClaimedWithoutHolderBeforeHolderIdsWereRequiredStillReplays() {
            String old = seatId();
            String seat = seatId();
            fixture.given(purchased(2), new SeatAssigned(POOL, ORG, old, "ada@example.com", null, null, Map.of(), T0), claimed(old, null))
                    .when(new AssignSeat(POOL, ORG, seat, "bob@example.com", true, "user-bob", Map.of()), MANAGER)
                    .expectEvents(new SeatAssigned(POOL, ORG, seat, "bob@example.com", null, null, Map.of(), T0), claimed(seat, "user-bob"));
            fixture.given(purchased(2), new SeatAssigned(POOL, ORG, old, "ada@example.com", null, null, Map.of(), T0), claimed(old, null))
                    .when(new RevokeSeat(POOL, ORG, old), MANAGER)
                    .expectEvents(new SeatRevoked(POOL, ORG, old, SeatStatus.CLAIMED, RevocationReason.REVOKED_BY_MANAGER, T0));
        }

        @Test
        void aFullPoolRefusesAnotherSeat() {
            expectRejection(fixture.given(purchased(1), pending(seatId(), "a@example.com"))
                    .when(new AssignSeat(POOL, ORG, seatId(), "b@example.com", false, null, Map.of()), MANAGER), ErrorCode.SEAT_CAPACITY_EXCEEDED);
        }

        @Test
        void anAddressHoldsOneSeatPerPoolWhateverItsCase() {
            expectRejection(fixture.given(purchased(5), pending(seatId(), "ada@example.com"))
                    .when(new AssignSeat(POOL, ORG, seatId(), "ADA@example.COM", false, null, Map.of()), MANAGER), ErrorCode.SEAT_ALREADY_ASSIGNED);
        }

        @Test
        void aRevokedSeatFreesBothItsCapacityAndItsAddress() {
            String old = seatId();
            String seat = seatId();
            fixture.given(purchased(1), pending(old, "ada@example.com"),
                            new SeatRevoked(POOL, ORG, old, SeatStatus.PENDING, RevocationReason.REVOKED_BY_MANAGER, T0))
                    .when(new AssignSeat(POOL, ORG, seat, "ada@example.com", true, "user-ada", Map.of()), MANAGER)
                    .expectEvents(new SeatAssigned(POOL, ORG, seat, "ada@example.com", null, null, Map.of(), T0), claimed(seat, "user-ada"));
        }

        @Test
        void rejectsABadAddressOrOversizedMetadata() {
            expectRejection(fixture.given(purchased(5))
                    .when(new AssignSeat(POOL, ORG, seatId(), "not-an-email", false, null, Map.of()), MANAGER), ErrorCode.VALIDATION_FAILED);
            Map<String, String> tooMuch = new java.util.HashMap<>();
            for (int i = 0; i <= SeatPool.MAX_METADATA_ENTRIES; i++) {
                tooMuch.put("k" + i, "v");
            }
            expectRejection(fixture.given(purchased(5))
                    .when(new AssignSeat(POOL, ORG, seatId(), "a@example.com", false, null, tooMuch), MANAGER), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void anotherTenantsPoolDoesNotExist() {
            expectRejection(fixture.given(purchased(5))
                    .when(new AssignSeat(POOL, "org-2", seatId(), "a@example.com", false, null, Map.of()), MANAGER), ErrorCode.NOT_FOUND);
        }

        @Test
        void aRepeatedRequestIdRecordsNothingNew() {
            EventMessage<?> earlier = GenericEventMessage.asEventMessage(pending(seatId(), "ada@example.com")).withMetaData(MANAGER);
            fixture.given(purchased(5), earlier)
                    .when(new AssignSeat(POOL, ORG, seatId(), "bob@example.com", false, null, Map.of()), MANAGER)
                    .expectNoEvents()
                    .expectResultMessagePayload(new AlreadyApplied("req-1"));
        }

        @Test
        void aRequestIdIsForgottenAfterADay() {
            EventMessage<?> dayOld = GenericEventMessage.asEventMessage(pending(seatId(), "ada@example.com")).withMetaData(MANAGER);
            EventMessage<?> later = GenericEventMessage.asEventMessage(pending(seatId(), "cy@example.com"))
                    .withMetaData(Map.of(AuditMetadata.REQUEST_ID, "req-9"));
            fixture.givenCurrentTime(T0)
                    .andGiven(purchased(5), dayOld)
                    .andGivenCurrentTime(T0.plus(Duration.ofHours(25)))
                    .andGiven(later)
                    .when(new AssignSeat(POOL, ORG, seatId(), "bob@example.com", false, null, Map.of()), MANAGER)
                    .expectEventsMatching(events(SeatAssigned.class, assigned -> assigned.email().equals("bob@example.com")));
        }
    }

    @Nested
    class BulkAssign {

        @Test
        void atomicAssignsAllOrNone() {
            List<SeatRequest> rows = List.of(
                    new SeatRequest(seatId(), "a@example.com", false, null, Map.of()),
                    new SeatRequest(seatId(), "b@example.com", false, null, Map.of()),
                    new SeatRequest(seatId(), "A@example.com", false, null, Map.of()));
            fixture.given(purchased(10))
                    .when(new AssignSeats(POOL, ORG, rows, true), MANAGER)
                    .expectNoEvents()
                    .expectResultMessagePayload(new BulkAssignment(List.of(), List.of(new SeatRejection(2, "A@example.com", ErrorCode.SEAT_ALREADY_ASSIGNED))));
        }

        @Test
        void partialAssignsWhatFitsAndSaysWhyTheRestDidNot() {
            String taken = seatId();
            List<SeatRequest> rows = List.of(
                    new SeatRequest(seatId(), "new1@example.com", false, null, Map.of()),
                    new SeatRequest(seatId(), "held@example.com", false, null, Map.of()),
                    new SeatRequest(seatId(), "bad-address", false, null, Map.of()),
                    new SeatRequest(seatId(), "new2@example.com", true, "user-new2", Map.of()),
                    new SeatRequest(seatId(), "new3@example.com", false, null, Map.of()));
            List<BulkAssignment> answers = new ArrayList<>();
            fixture.given(purchased(3), new SeatAssigned(POOL, ORG, taken, "held@example.com", "h", T0.plus(Duration.ofDays(6)), Map.of(), T0))
                    .when(new AssignSeats(POOL, ORG, rows, false), MANAGER)
                    .expectEventsMatching(payloadsMatching(exactSequenceOf(
                            matches(e -> e instanceof SeatAssigned a && a.email().equals("new1@example.com")),
                            matches(e -> e instanceof SeatAssigned a && a.email().equals("new2@example.com") && a.invitationTokenHash() == null),
                            matches(e -> e instanceof SeatClaimed),
                            andNoMore())))
                    .expectResultMessagePayloadMatching(matches(answer -> answers.add((BulkAssignment) answer)))
                    .expectScheduledDeadlineWithName(T0.plus(Duration.ofDays(7)), Deadlines.INVITATION_EXPIRY);
            assertThat(answers.get(0).assigned()).extracting(SeatAssignment::email).containsExactly("new1@example.com", "new2@example.com");
            assertThat(answers.get(0).rejected()).containsExactly(
                    new SeatRejection(1, "held@example.com", ErrorCode.SEAT_ALREADY_ASSIGNED),
                    new SeatRejection(2, "bad-address", ErrorCode.VALIDATION_FAILED),
                    new SeatRejection(4, "new3@example.com", ErrorCode.SEAT_CAPACITY_EXCEEDED));
        }

        @Test
        void eachRowClaimedAtOnceIsClaimedByItsOwnUserAndARowWithoutOneIsRefused() {
            String first = seatId();
            List<SeatRequest> rows = List.of(
                    new SeatRequest(first, "a@example.com", true, "user-a", Map.of()),
                    new SeatRequest(seatId(), "b@example.com", true, null, Map.of()),
                    new SeatRequest(seatId(), "c@example.com", true, "user-a", Map.of()),
                    new SeatRequest(seatId(), "d@example.com", false, "user-d", Map.of()));
            List<BulkAssignment> answers = new ArrayList<>();
            fixture.given(purchased(10))
                    .when(new AssignSeats(POOL, ORG, rows, false), MANAGER)
                    .expectEvents(new SeatAssigned(POOL, ORG, first, "a@example.com", null, null, Map.of(), T0), claimed(first, "user-a"))
                    .expectResultMessagePayloadMatching(matches(answer -> answers.add((BulkAssignment) answer)));
            assertThat(answers.get(0).rejected()).containsExactly(
                    new SeatRejection(1, "b@example.com", ErrorCode.VALIDATION_FAILED),
                    new SeatRejection(2, "c@example.com", ErrorCode.SEAT_ALREADY_ASSIGNED),
                    new SeatRejection(3, "d@example.com", ErrorCode.VALIDATION_FAILED));
        }

        @Test
        void anAtomicBulkWithARowClaimedAtOnceWithoutUserIdAssignsNothing() {
            List<SeatRequest> rows = List.of(
                    new SeatRequest(seatId(), "a@example.com", true, "user-a", Map.of()),
                    new SeatRequest(seatId(), "b@example.com", true, null, Map.of()));
            fixture.given(purchased(10))
                    .when(new AssignSeats(POOL, ORG, rows, true), MANAGER)
                    .expectNoEvents()
                    .expectResultMessagePayload(new BulkAssignment(List.of(), List.of(new SeatRejection(1, "b@example.com", ErrorCode.VALIDATION_FAILED))));
        }

        @Test
        void refusesMoreRowsThanTheConfiguredLimit() {
            List<SeatRequest> rows = List.of(
                    new SeatRequest(seatId(), "a@example.com", false, null, Map.of()),
                    new SeatRequest(seatId(), "b@example.com", false, null, Map.of()),
                    new SeatRequest(seatId(), "c@example.com", false, null, Map.of()));
            expectRejection(newFixture(new SeatPolicy(Duration.ofDays(7), 2, Duration.ofMinutes(1))).given(purchased(10))
                    .when(new AssignSeats(POOL, ORG, rows, false), MANAGER), ErrorCode.VALIDATION_FAILED);
        }
    }

    @Nested
    class Invitations {

        private final String seat = seatId();
        private final InvitationToken token = InvitationToken.issue(UUID.fromString(POOL), UUID.fromString(seat));

        @Test
        void theInviteeClaimsWithTheToken() {
            fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ADA@example.com", true))
                    .expectEvents(claimed(seat, "user-ada"))
                    .expectResultMessagePayload(new SeatState(seat, POOL, ORG, SeatStatus.CLAIMED, "ada@example.com", "user-ada", T0, T0, null, null,
                            Map.of()));
        }

        @Test
        void aClaimIsTakenOnlyWhileThePoolIsInService() {
            Instant graceEnds = T0.plus(Duration.ofDays(3));
            SeatPoolWentPastDue pastDue = new SeatPoolWentPastDue(POOL, ORG, graceEnds, T0);
            ClaimSeat claim = new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ada@example.com", true);
            fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()), pastDue)
                    .when(claim).expectEvents(claimed(seat, "user-ada"));
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()), pastDue,
                    new SeatPoolGraceExpired(POOL, ORG, graceEnds)).when(claim), ErrorCode.POOL_NOT_ACTIVE);
            fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()), pastDue, new SeatPoolGraceExpired(POOL, ORG, graceEnds),
                    new SeatPoolPaymentRecovered(POOL, ORG, T0)).when(claim).expectEvents(claimed(seat, "user-ada"));
        }

        @Test
        void aWrongOrUsedTokenIsInvalid() {
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()))
                    .when(new ClaimSeat(POOL, seat, InvitationToken.hash("guess"), "user-ada", "ada@example.com", true)), ErrorCode.INVITATION_INVALID);
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()), claimed(seat, "user-ada"))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ada@example.com", true)), ErrorCode.INVITATION_INVALID);
            expectRejection(fixture.given(purchased(2))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ada@example.com", true)), ErrorCode.INVITATION_INVALID);
        }

        @Test
        void anExpiredTokenIsGoneEvenBeforeTheDeadlineFires() {
            clock.set(T0.plus(Duration.ofDays(7)));
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ada@example.com", true)), ErrorCode.INVITATION_EXPIRED);
        }

        @Test
        void theClaimantsAddressMustMatchUnlessConfiguredOtherwise() {
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user-eve", "eve@example.com", true)), ErrorCode.EMAIL_MISMATCH);
            fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ada.personal@example.com", false))
                    .expectEvents(claimed(seat, "user-ada"));
        }

        @Test
        void aUserHoldsOneSeatPerPool() {
            String other = seatId();
            expectRejection(fixture.given(purchased(3), pending(other, "ada@work.example.com"), claimed(other, "user-ada"),
                            pending(seat, "ada@example.com", token.sha256()))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ada@example.com", true)), ErrorCode.SEAT_ALREADY_ASSIGNED);
        }

        @Test
        void resendingReplacesTheTokenAndTheExpiry() {
            clock.set(T0.plus(Duration.ofDays(2)));
            Instant newExpiry = T0.plus(Duration.ofDays(9));
            fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()))
                    .when(new ResendInvitation(POOL, ORG, seat), MANAGER)
                    .expectEventsMatching(events(InvitationReissued.class, reissued -> reissued.seatId().equals(seat)
                            && reissued.expiresAt().equals(newExpiry) && !reissued.invitationTokenHash().equals(token.sha256())))
                    .expectScheduledDeadlineWithName(newExpiry, Deadlines.INVITATION_EXPIRY);
        }

        @Test
        void theOldTokenStopsWorkingAfterAResend() {
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()),
                            new InvitationReissued(POOL, ORG, seat, "another-hash", T0.plus(Duration.ofDays(8)), T0))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ada@example.com", true)), ErrorCode.INVITATION_INVALID);
        }

        @Test
        void onlyAPendingSeatCanBeResent() {
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com"), claimed(seat, "user-ada"))
                    .when(new ResendInvitation(POOL, ORG, seat), MANAGER), ErrorCode.INVALID_SEAT_STATE);
            expectRejection(fixture.given(purchased(2))
                    .when(new ResendInvitation(POOL, ORG, seat), MANAGER), ErrorCode.NOT_FOUND);
        }

        @Test
        void anUnclaimedInvitationExpiresAndFreesItsSeat() {
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(1))
                    .andGivenCommands(new AssignSeat(POOL, ORG, seat, "ada@example.com", false, null, Map.of()))
                    .whenTimeElapses(Duration.ofDays(7))
                    .expectEvents(new SeatExpired(POOL, ORG, seat, T0.plus(Duration.ofDays(7))));
        }

        /** Events inherit the deadline's metadata through the correlation data providers (proven end to end in the api module). */
        @Test
        void anExpiryActsForTheSystemNotForWhoeverAssignedTheSeat() {
            Instant expiresAt = T0.plus(Duration.ofDays(7));
            fixture.givenCurrentTime(T0)
                    .andGiven(purchased(1))
                    .when(new AssignSeat(POOL, ORG, seat, "ada@example.com", false, null, Map.of()), MANAGER)
                    .expectScheduledDeadlineMatching(expiresAt, matches(deadline -> deadline instanceof org.axonframework.deadline.DeadlineMessage<?> message
                            && AuditMetadata.SYSTEM_ACTOR.equals(message.getMetaData().get(AuditMetadata.ACTOR_ID))
                            && "invitation_expired".equals(message.getMetaData().get(AuditMetadata.REASON))
                            && ORG.equals(message.getMetaData().get(AuditMetadata.ORG_ID))
                            && ("deadline:invitation_expired:" + POOL + ":" + expiresAt).equals(message.getMetaData().get(AuditMetadata.REQUEST_ID))));
        }

        @Test
        void invitationsExpiringWithinTheSameMinuteShareOneExpiryCheck() {
            // T0 + 7 days is on a minute boundary: it is checked at that very instant.
            fixture.givenCurrentTime(T0)
                    .andGiven(purchased(5), pending(seatId(), "first@example.com"))
                    .when(new AssignSeat(POOL, ORG, seat, "ada@example.com", false, null, Map.of()), MANAGER)
                    .expectNoScheduledDeadlines();
            clock.set(T0.plusSeconds(30));
            fixture.givenCurrentTime(T0)
                    .andGiven(purchased(5), pending(seatId(), "first@example.com"))
                    .when(new AssignSeat(POOL, ORG, seat, "ada@example.com", false, null, Map.of()), MANAGER)
                    .expectScheduledDeadlineWithName(T0.plus(Duration.ofDays(7)).plusSeconds(60), Deadlines.INVITATION_EXPIRY);
        }

        @Test
        void anExpiryCheckRunsAtTheEndOfItsMinuteAndExpiresOnlyWhatIsDue() {
            String later = seatId();
            Instant expiresAt = T0.plus(Duration.ofDays(7)).plusSeconds(5);
            Instant checkAt = T0.plus(Duration.ofDays(7)).plusSeconds(60);
            clock.set(T0.plusSeconds(5));
            fixture.givenCurrentTime(T0)
                    .andGiven(purchased(5), new SeatAssigned(POOL, ORG, later, "later@example.com", "h", checkAt.plusSeconds(1), Map.of(), T0))
                    .andGivenCommands(new AssignSeat(POOL, ORG, seat, "ada@example.com", false, null, Map.of()))
                    .whenThenTimeAdvancesTo(checkAt)
                    .expectEvents(new SeatExpired(POOL, ORG, seat, expiresAt));
        }

        @Test
        void aClaimedOrResentInvitationDoesNotExpireAtTheOldTime() {
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(1))
                    .andGivenCommands(new AssignSeat(POOL, ORG, seat, "ada@example.com", false, null, Map.of()))
                    .andGiven(claimed(seat, "user-ada"))
                    .whenTimeElapses(Duration.ofDays(8))
                    .expectNoEvents();
        }
    }

    static PurchaseSeatPool purchaseCommand(int seats) {
        return new PurchaseSeatPool(POOL, ORG, PoolKind.SUBSCRIPTION, seats, PRICING, BillingInterval.MONTH, null);
    }

    @Nested
    class RevokeAndTransfer {

        private final String seat = seatId();

        @Test
        void revokingFreesThePendingOrClaimedSeat() {
            fixture.given(purchased(1), pending(seat, "ada@example.com"), claimed(seat, "user-ada"))
                    .when(new RevokeSeat(POOL, ORG, seat), MANAGER)
                    .expectEvents(new SeatRevoked(POOL, ORG, seat, SeatStatus.CLAIMED, RevocationReason.REVOKED_BY_MANAGER, T0));
        }

        @Test
        void revokingARevokedOrExpiredSeatIsAConflict() {
            expectRejection(fixture.given(purchased(1), pending(seat, "ada@example.com"),
                            new SeatRevoked(POOL, ORG, seat, SeatStatus.PENDING, RevocationReason.REVOKED_BY_MANAGER, T0))
                    .when(new RevokeSeat(POOL, ORG, seat), MANAGER), ErrorCode.INVALID_SEAT_STATE);
            expectRejection(fixture.given(purchased(1), pending(seat, "ada@example.com"), new SeatExpired(POOL, ORG, seat, T0))
                    .when(new RevokeSeat(POOL, ORG, seat), MANAGER), ErrorCode.INVALID_SEAT_STATE);
            expectRejection(fixture.given(purchased(1))
                    .when(new RevokeSeat(POOL, ORG, seat), MANAGER), ErrorCode.NOT_FOUND);
        }

        @Test
        void transferOpensAPendingSeatForTheNewHolderWithinTheSameCapacity() {
            String newSeat = seatId();
            fixture.given(purchased(1), pending(seat, "ada@example.com"), claimed(seat, "user-ada"))
                    .when(new TransferSeat(POOL, ORG, seat, newSeat, "bob@example.com"), MANAGER)
                    .expectEventsMatching(events(SeatTransferred.class, transferred -> transferred.fromSeatId().equals(seat)
                            && transferred.previousStatus() == SeatStatus.CLAIMED
                            && transferred.toSeatId().equals(newSeat) && transferred.toEmail().equals("bob@example.com")
                            && transferred.invitationTokenHash() != null))
                    .expectResultMessagePayloadMatching(matches(answer -> answer instanceof SeatAssignment a
                            && a.seatId().equals(newSeat) && a.status() == SeatStatus.PENDING && a.invitation() != null));
        }

        @Test
        void afterATransferTheOldHolderMayBeInvitedAgainButNotBeyondCapacity() {
            String newSeat = seatId();
            expectRejection(fixture.given(purchased(1), pending(seat, "ada@example.com"),
                            new SeatTransferred(POOL, ORG, seat, SeatStatus.PENDING, newSeat, "bob@example.com", "h", T0.plus(Duration.ofDays(7)), T0))
                    .when(new AssignSeat(POOL, ORG, seatId(), "ada@example.com", false, null, Map.of()), MANAGER), ErrorCode.SEAT_CAPACITY_EXCEEDED);
        }

        @Test
        void transferToAnAddressThatHoldsASeatIsRefused() {
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com"), pending(seatId(), "bob@example.com"))
                    .when(new TransferSeat(POOL, ORG, seat, seatId(), "BOB@example.com"), MANAGER), ErrorCode.SEAT_ALREADY_ASSIGNED);
        }

        @Test
        void onlyAnOccupiedSeatCanBeTransferred() {
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com"), new SeatExpired(POOL, ORG, seat, T0))
                    .when(new TransferSeat(POOL, ORG, seat, seatId(), "bob@example.com"), MANAGER), ErrorCode.INVALID_SEAT_STATE);
        }
    }

    @Nested
    class Resize {

        @Test
        void growsNow() {
            fixture.given(purchased(5))
                    .when(new ResizeSeatPool(POOL, ORG, 8, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS), MANAGER)
                    .expectEvents(new SeatPoolResized(POOL, ORG, 5, 8, ProrationBehavior.CREATE_PRORATIONS, T0,
                            new Charge(8, 3000, "eur", T0, PERIOD.end())))
                    .expectResultMessagePayloadMatching(resized(ResizeOutcome.APPLIED));
        }

        @Test
        void shrinksDownToTheSeatsInUseButNotBelow() {
            fixture.given(purchased(5), pending(seatId(), "a@example.com"), pending(seatId(), "b@example.com"))
                    .when(new ResizeSeatPool(POOL, ORG, 2, ResizeTiming.NOW, ProrationBehavior.NONE), MANAGER)
                    .expectEvents(new SeatPoolResized(POOL, ORG, 5, 2, ProrationBehavior.NONE, T0));
            expectRejection(fixture.given(purchased(5), pending(seatId(), "a@example.com"), pending(seatId(), "b@example.com"))
                    .when(new ResizeSeatPool(POOL, ORG, 1, ResizeTiming.NOW, ProrationBehavior.NONE), MANAGER), ErrorCode.RESIZE_BELOW_OCCUPIED);
            expectRejection(fixture.given(purchased(5), pending(seatId(), "a@example.com"), pending(seatId(), "b@example.com"))
                    .when(new ResizeSeatPool(POOL, ORG, 1, ResizeTiming.PERIOD_END, ProrationBehavior.NONE), MANAGER), ErrorCode.RESIZE_BELOW_OCCUPIED);
        }

        @Test
        void anOrderIsNotResizable() {
            expectRejection(fixture.given(new SeatPoolPurchased(POOL, ORG, PoolKind.ORDER, 3, PRICING, null, PoolStatus.ACTIVE, null, null, T0))
                    .when(new ResizeSeatPool(POOL, ORG, 4, ResizeTiming.NOW, ProrationBehavior.NONE), MANAGER), ErrorCode.POOL_NOT_RESIZABLE);
        }

        @Test
        void aDecreaseAtPeriodEndIsScheduledAndReCheckedWhenDue() {
            String late = seatId();
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(5))
                    .andGivenCommands(new ResizeSeatPool(POOL, ORG, 2, ResizeTiming.PERIOD_END, ProrationBehavior.NONE))
                    // After scheduling, more seats were taken: the decrease must clamp to the 3 seats in use.
                    .andGivenCommands(new AssignSeat(POOL, ORG, seatId(), "a@example.com", true, "user-a", Map.of()),
                            new AssignSeat(POOL, ORG, seatId(), "b@example.com", true, "user-b", Map.of()),
                            new AssignSeat(POOL, ORG, late, "c@example.com", true, "user-c", Map.of()))
                    .whenThenTimeAdvancesTo(PERIOD.end())
                    .expectEvents(
                            new SeatPoolResized(POOL, ORG, 5, 3, ProrationBehavior.NONE, PERIOD.end()),
                            renewed(PERIOD.next(BillingInterval.MONTH), 3));
        }

        @Test
        void schedulingAtPeriodEndRecordsTheChange() {
            fixture.given(purchased(5))
                    .when(new ResizeSeatPool(POOL, ORG, 3, ResizeTiming.PERIOD_END, ProrationBehavior.NONE), MANAGER)
                    .expectEvents(new SeatPoolResizeScheduled(POOL, ORG, 3, PERIOD.end()))
                    .expectResultMessagePayloadMatching(resized(ResizeOutcome.SCHEDULED));
        }

        @Test
        void aStripeBilledPoolWaitsForStripeToAccept() {
            StripeSubscription stripe = new StripeSubscription("cus_1", "sub_1", "si_1", null);
            SeatPoolPurchased stripePool = new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 5, PRICING, BillingInterval.MONTH,
                    PoolStatus.ACTIVE, PERIOD, stripe, T0);
            SeatPoolResizeRequested requested = new SeatPoolResizeRequested(POOL, ORG, 8, ResizeTiming.NOW, ProrationBehavior.ALWAYS_INVOICE, T0);
            fixture.given(stripePool)
                    .when(new ResizeSeatPool(POOL, ORG, 8, ResizeTiming.NOW, ProrationBehavior.ALWAYS_INVOICE), MANAGER)
                    .expectEvents(requested)
                    .expectResultMessagePayloadMatching(resized(ResizeOutcome.AWAITING_PROVIDER));
            fixture.given(stripePool, requested)
                    .when(new ConfirmSeatPoolResize(POOL, ORG))
                    .expectEvents(new SeatPoolResized(POOL, ORG, 5, 8, ProrationBehavior.ALWAYS_INVOICE, T0));
            fixture.given(stripePool, requested)
                    .when(new FailSeatPoolResize(POOL, ORG, "card_declined"))
                    .expectEvents(new SeatPoolResizeFailed(POOL, ORG, 8, "card_declined", T0));
            expectRejection(fixture.given(stripePool, requested)
                    .when(new ResizeSeatPool(POOL, ORG, 9, ResizeTiming.NOW, ProrationBehavior.NONE), MANAGER), ErrorCode.POOL_NOT_RESIZABLE);
            fixture.given(stripePool, requested, new SeatPoolResized(POOL, ORG, 5, 8, ProrationBehavior.ALWAYS_INVOICE, T0))
                    .when(new ConfirmSeatPoolResize(POOL, ORG))
                    .expectNoEvents();
        }

        @Test
        void anIncreaseNowReplacesADecreaseScheduledForThePeriodEnd() {
            fixture.given(purchased(10), new SeatPoolResizeScheduled(POOL, ORG, 5, PERIOD.end()))
                    .when(new ResizeSeatPool(POOL, ORG, 20, ResizeTiming.NOW, ProrationBehavior.NONE), MANAGER)
                    .expectEvents(new ScheduledResizeReplaced(POOL, ORG, 5, PERIOD.end(), T0),
                            new SeatPoolResized(POOL, ORG, 10, 20, ProrationBehavior.NONE, T0))
                    .expectResultMessagePayloadMatching(resized(ResizeOutcome.APPLIED));
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(10))
                    .andGivenCommands(new ResizeSeatPool(POOL, ORG, 5, ResizeTiming.PERIOD_END, ProrationBehavior.NONE),
                            new ResizeSeatPool(POOL, ORG, 20, ResizeTiming.NOW, ProrationBehavior.NONE))
                    .whenThenTimeAdvancesTo(PERIOD.end())
                    .expectEvents(renewed(PERIOD.next(BillingInterval.MONTH), 20));
        }

        @Test
        void aNewerScheduledChangeReplacesTheOlderOne() {
            fixture.given(purchased(10), new SeatPoolResizeScheduled(POOL, ORG, 5, PERIOD.end()))
                    .when(new ResizeSeatPool(POOL, ORG, 7, ResizeTiming.PERIOD_END, ProrationBehavior.NONE), MANAGER)
                    .expectEvents(new ScheduledResizeReplaced(POOL, ORG, 5, PERIOD.end(), T0),
                            new SeatPoolResizeScheduled(POOL, ORG, 7, PERIOD.end()))
                    .expectResultMessagePayloadMatching(resized(ResizeOutcome.SCHEDULED));
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(10))
                    .andGivenCommands(new ResizeSeatPool(POOL, ORG, 5, ResizeTiming.PERIOD_END, ProrationBehavior.NONE),
                            new ResizeSeatPool(POOL, ORG, 7, ResizeTiming.PERIOD_END, ProrationBehavior.NONE))
                    .whenThenTimeAdvancesTo(PERIOD.end())
                    .expectEvents(new SeatPoolResized(POOL, ORG, 10, 7, ProrationBehavior.NONE, PERIOD.end()),
                            renewed(PERIOD.next(BillingInterval.MONTH), 7));
        }

        @Test
        void aStripeBilledPoolsConfirmedIncreaseReplacesItsScheduledDecreaseToo() {
            StripeSubscription stripe = new StripeSubscription("cus_1", "sub_1", "si_1", null);
            SeatPoolPurchased stripePool = new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH,
                    PoolStatus.ACTIVE, PERIOD, stripe, T0);
            fixture.given(stripePool, new SeatPoolResizeRequested(POOL, ORG, 5, ResizeTiming.PERIOD_END, ProrationBehavior.NONE, T0),
                            new SeatPoolResizeScheduled(POOL, ORG, 5, PERIOD.end()),
                            new SeatPoolResizeRequested(POOL, ORG, 20, ResizeTiming.NOW, ProrationBehavior.NONE, T0))
                    .when(new ConfirmSeatPoolResize(POOL, ORG))
                    .expectEvents(new ScheduledResizeReplaced(POOL, ORG, 5, PERIOD.end(), T0),
                            new SeatPoolResized(POOL, ORG, 10, 20, ProrationBehavior.NONE, T0));
            // Stripe renews the subscription at 20: the pool keeps 20 and nothing is forced.
            BillingPeriod next = PERIOD.next(BillingInterval.MONTH);
            fixture.given(stripePool)
                    .andGivenCommands(new ResizeSeatPool(POOL, ORG, 5, ResizeTiming.PERIOD_END, ProrationBehavior.NONE),
                            new ConfirmSeatPoolResize(POOL, ORG),
                            new ResizeSeatPool(POOL, ORG, 20, ResizeTiming.NOW, ProrationBehavior.NONE),
                            new ConfirmSeatPoolResize(POOL, ORG))
                    .when(new ApplyProviderState(POOL, ORG, new ProviderState(ProviderPayment.PAID, stripe, 20, BillingInterval.MONTH, next, false), null))
                    .expectEvents(new BillingPeriodRenewed(POOL, ORG, next));
        }

        @Test
        void theProviderCanForceCapacityBelowTheSeatsInUseWhichBlocksNewAssignments() {
            fixture.given(purchased(3), pending(seatId(), "a@example.com"), pending(seatId(), "b@example.com"))
                    .when(providerSays(ProviderPayment.PAID, null, 1, null, null))
                    .expectEvents(new SeatCapacityForced(POOL, ORG, 3, 1, 1, T0));
            expectRejection(fixture.given(purchased(3), pending(seatId(), "a@example.com"), pending(seatId(), "b@example.com"),
                            new SeatCapacityForced(POOL, ORG, 3, 1, 1, T0))
                    .when(new AssignSeat(POOL, ORG, seatId(), "c@example.com", false, null, Map.of()), MANAGER), ErrorCode.SEAT_CAPACITY_EXCEEDED);
        }
    }

    @Nested
    class BillingCycle {

        @Test
        void changesTheInterval() {
            fixture.given(purchased(5))
                    .when(new ChangeBillingInterval(POOL, ORG, BillingInterval.YEAR), MANAGER)
                    .expectEvents(new BillingIntervalChanged(POOL, ORG, BillingInterval.MONTH, BillingInterval.YEAR, T0));
            expectRejection(fixture.given(new SeatPoolPurchased(POOL, ORG, PoolKind.ORDER, 3, PRICING, null, PoolStatus.ACTIVE, null, null, T0))
                    .when(new ChangeBillingInterval(POOL, ORG, BillingInterval.YEAR), MANAGER), ErrorCode.POOL_NOT_RESIZABLE);
        }

        @Test
        void aManuallyInvoicedPoolRenewsItselfAtPeriodEnd() {
            BillingPeriod second = PERIOD.next(BillingInterval.MONTH);
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(5))
                    .whenThenTimeAdvancesTo(second.end())
                    .expectEvents(renewed(second, 5), renewed(second.next(BillingInterval.MONTH), 5));
        }

        @Test
        void theProviderRenewsOnceEvenIfToldTwice() {
            BillingPeriod next = PERIOD.next(BillingInterval.MONTH);
            fixture.given(purchased(5)).when(providerSays(ProviderPayment.PAID, null, null, next, null)).expectEvents(renewed(next, 5));
            fixture.given(purchased(5), renewed(next, 5)).when(providerSays(ProviderPayment.PAID, null, null, next, null)).expectNoEvents();
        }

        @Test
        void pastDueKeepsSeatsUntilGraceEndsAndRecoveryRestoresThePool() {
            Instant graceEnds = T0.plus(Duration.ofDays(3));
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(5))
                    .andGivenCommands(providerSays(ProviderPayment.PAST_DUE, null, null, null, graceEnds))
                    .whenThenTimeAdvancesTo(graceEnds)
                    .expectEvents(new SeatPoolGraceExpired(POOL, ORG, graceEnds));
            fixture.given(purchased(5), new SeatPoolWentPastDue(POOL, ORG, graceEnds, T0), new SeatPoolGraceExpired(POOL, ORG, graceEnds))
                    .when(providerSays(ProviderPayment.PAID, null, null, null, null))
                    .expectEvents(new SeatPoolPaymentRecovered(POOL, ORG, T0));
            expectRejection(fixture.given(purchased(5), new SeatPoolWentPastDue(POOL, ORG, graceEnds, T0))
                    .when(new AssignSeat(POOL, ORG, seatId(), "a@example.com", false, null, Map.of()), MANAGER), ErrorCode.POOL_NOT_ACTIVE);
        }

        @Test
        void recoveryBeforeGraceEndsCancelsTheGraceExpiry() {
            Instant graceEnds = T0.plus(Duration.ofDays(3));
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(5))
                    .andGivenCommands(providerSays(ProviderPayment.PAST_DUE, null, null, null, graceEnds), providerSays(ProviderPayment.PAID, null, null, null, null))
                    .whenThenTimeAdvancesTo(graceEnds)
                    .expectNoEvents();
        }

        @Test
        void cancelingNowRevokesEverySeatInUse() {
            String a = "00000000-0000-4000-8000-00000000000a";
            String b = "00000000-0000-4000-8000-00000000000b";
            String gone = seatId();
            fixture.given(purchased(5), pending(a, "a@example.com"), pending(b, "b@example.com"), claimed(b, "user-b"),
                            pending(gone, "c@example.com"), new SeatExpired(POOL, ORG, gone, T0))
                    .when(new CancelSeatPool(POOL, ORG, false), MANAGER)
                    .expectEvents(new SeatPoolCanceled(POOL, ORG, T0),
                            new SeatRevoked(POOL, ORG, a, SeatStatus.PENDING, RevocationReason.SUBSCRIPTION_CANCELED, T0),
                            new SeatRevoked(POOL, ORG, b, SeatStatus.CLAIMED, RevocationReason.SUBSCRIPTION_CANCELED, T0));
        }

        @Test
        void cancelingAtPeriodEndTakesEffectWhenThePeriodEnds() {
            String seat = seatId();
            fixture.givenCurrentTime(T0)
                    .andGivenCommands(purchaseCommand(5))
                    .andGivenCommands(new AssignSeat(POOL, ORG, seat, "a@example.com", true, "user-a", Map.of()))
                    .andGivenCommands(new CancelSeatPool(POOL, ORG, true))
                    .whenThenTimeAdvancesTo(PERIOD.end())
                    .expectEvents(new SeatPoolCanceled(POOL, ORG, PERIOD.end()),
                            new SeatRevoked(POOL, ORG, seat, SeatStatus.CLAIMED, RevocationReason.SUBSCRIPTION_CANCELED, PERIOD.end()));
        }

        @Test
        void aCanceledPoolRefusesFurtherChanges() {
            fixture.given(purchased(5)).when(new CancelSeatPool(POOL, ORG, true), MANAGER)
                    .expectEvents(new SeatPoolCancellationScheduled(POOL, ORG, PERIOD.end()));
            expectRejection(fixture.given(purchased(5), new SeatPoolCanceled(POOL, ORG, T0))
                    .when(new CancelSeatPool(POOL, ORG, false), MANAGER), ErrorCode.POOL_NOT_ACTIVE);
            expectRejection(fixture.given(purchased(5), new SeatPoolCanceled(POOL, ORG, T0))
                    .when(new ResizeSeatPool(POOL, ORG, 6, ResizeTiming.NOW, ProrationBehavior.NONE), MANAGER), ErrorCode.POOL_NOT_ACTIVE);
            expectRejection(fixture.given(new SeatPoolPurchased(POOL, ORG, PoolKind.ORDER, 3, PRICING, null, PoolStatus.ACTIVE, null, null, T0))
                    .when(new CancelSeatPool(POOL, ORG, true), MANAGER), ErrorCode.VALIDATION_FAILED);
        }
    }

    @Nested
    class FollowingStripe {

        final StripeSubscription links = new StripeSubscription("cus_1", "sub_1", "si_1", "cs_1");
        final Instant graceEnds = T0.plus(Duration.ofDays(14));
        final SeatPoolPurchased awaiting = new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 5, PRICING, BillingInterval.MONTH,
                PoolStatus.AWAITING_PAYMENT, null, new StripeSubscription(null, null, null, null), T0);
        final SeatPoolActivated activated = new SeatPoolActivated(POOL, ORG, PERIOD, links, T0);

        ProviderState stripe(ProviderPayment payment, int quantity, BillingPeriod period, boolean cancelAtPeriodEnd) {
            return new ProviderState(payment, links, quantity, BillingInterval.MONTH, period, cancelAtPeriodEnd);
        }

        ApplyProviderState apply(ProviderPayment payment, int quantity) {
            return new ApplyProviderState(POOL, ORG, stripe(payment, quantity, PERIOD, false), graceEnds);
        }

        @Test
        void aCheckoutSessionIsRecordedOnceForAPoolPaidThroughCheckout() {
            fixture.given(awaiting).when(new AttachCheckoutSession(POOL, ORG, "cs_1"), MANAGER)
                    .expectEvents(new CheckoutSessionOpened(POOL, ORG, "cs_1", T0));
            fixture.given(awaiting, new CheckoutSessionOpened(POOL, ORG, "cs_1", T0)).when(new AttachCheckoutSession(POOL, ORG, "cs_1"), MANAGER)
                    .expectNoEvents();
            expectRejection(fixture.given(purchased(5)).when(new AttachCheckoutSession(POOL, ORG, "cs_1"), MANAGER), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void paymentActivatesOnceWithTheSubscriptionsLinksAndPeriod() {
            fixture.given(awaiting, new CheckoutSessionOpened(POOL, ORG, "cs_1", T0))
                    .when(apply(ProviderPayment.PAID, 5))
                    .expectEvents(activated);
            fixture.given(awaiting, activated).when(apply(ProviderPayment.PAID, 5)).expectNoEvents();
            fixture.given(awaiting).when(apply(ProviderPayment.PENDING, 5)).expectNoEvents();
            fixture.given(awaiting).when(apply(ProviderPayment.PAST_DUE, 5)).expectNoEvents();
        }

        @Test
        void anOrderIsActivatedWithoutPeriodAndAnExpiredCheckoutCancelsIt() {
            SeatPoolPurchased order = new SeatPoolPurchased(POOL, ORG, PoolKind.ORDER, 3, PRICING, null, PoolStatus.AWAITING_PAYMENT, null,
                    new StripeSubscription(null, null, null, "cs_1"), T0);
            var paid = new ProviderState(ProviderPayment.PAID, new StripeSubscription("cus_1", null, null, "cs_1"),
                    null, null, null, false);
            fixture.given(order).when(new ApplyProviderState(POOL, ORG, paid, null))
                    .expectEvents(new SeatPoolActivated(POOL, ORG, null, new StripeSubscription("cus_1", null, null, "cs_1"), T0));
            var ended = new ProviderState(ProviderPayment.ENDED, null, null, null, null, false);
            fixture.given(order).when(new ApplyProviderState(POOL, ORG, ended, null)).expectEvents(new SeatPoolCanceled(POOL, ORG, T0));
        }

        @Test
        void aQuantityEqualToOurPendingResizeConfirmsItAndAnOlderOneWaits() {
            SeatPoolResizeRequested requested = new SeatPoolResizeRequested(POOL, ORG, 8, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS, T0);
            fixture.given(awaiting, activated, requested).when(apply(ProviderPayment.PAID, 8))
                    .expectEvents(new SeatPoolResized(POOL, ORG, 5, 8, ProrationBehavior.CREATE_PRORATIONS, T0));
            fixture.given(awaiting, activated, requested).when(apply(ProviderPayment.PAID, 5)).expectNoEvents();
            // our own confirmation after the webhook's: nothing twice
            fixture.given(awaiting, activated, requested, new SeatPoolResized(POOL, ORG, 5, 8, ProrationBehavior.CREATE_PRORATIONS, T0))
                    .when(new ConfirmSeatPoolResize(POOL, ORG)).expectNoEvents();
        }

        @Test
        void aQuantityChangedInStripeIsForcedButTheScheduledOneIsNot() {
            String a = seatId();
            fixture.given(awaiting, activated, pending(a, "a@example.com"), pending(seatId(), "b@example.com"))
                    .when(apply(ProviderPayment.PAID, 1))
                    .expectEvents(new SeatCapacityForced(POOL, ORG, 5, 1, 1, T0));
            fixture.given(awaiting, activated, new SeatPoolResizeScheduled(POOL, ORG, 3, PERIOD.end()))
                    .when(apply(ProviderPayment.PAID, 3)).expectNoEvents();
            fixture.given(awaiting, activated).when(apply(ProviderPayment.PAID, 5)).expectNoEvents();
        }

        @Test
        void pastDueRecoveryAndTheEndFollowStripe() {
            fixture.given(awaiting, activated).when(apply(ProviderPayment.PAST_DUE, 5))
                    .expectEvents(new SeatPoolWentPastDue(POOL, ORG, graceEnds, T0))
                    .expectScheduledDeadlineWithName(graceEnds, Deadlines.GRACE_END);
            fixture.given(awaiting, activated, new SeatPoolWentPastDue(POOL, ORG, graceEnds, T0)).when(apply(ProviderPayment.PAST_DUE, 5))
                    .expectNoEvents();
            fixture.given(awaiting, activated, new SeatPoolWentPastDue(POOL, ORG, graceEnds, T0)).when(apply(ProviderPayment.PAID, 5))
                    .expectEvents(new SeatPoolPaymentRecovered(POOL, ORG, T0));
            String seat = seatId();
            fixture.given(awaiting, activated, pending(seat, "a@example.com")).when(apply(ProviderPayment.ENDED, 5))
                    .expectEvents(new SeatPoolCanceled(POOL, ORG, T0),
                            new SeatRevoked(POOL, ORG, seat, SeatStatus.PENDING, RevocationReason.SUBSCRIPTION_CANCELED, T0));
            fixture.given(awaiting, activated, new SeatPoolCanceled(POOL, ORG, T0)).when(apply(ProviderPayment.PAID, 9)).expectNoEvents();
        }

        @Test
        void theIntervalOfAStripeBilledPoolChangesInStripeOnly() {
            expectRejection(fixture.given(awaiting, activated).when(new ChangeBillingInterval(POOL, ORG, BillingInterval.YEAR), MANAGER),
                    ErrorCode.POOL_NOT_RESIZABLE);
        }

        @Test
        void periodsIntervalAndScheduledCancellationFollowStripe() {
            BillingPeriod next = PERIOD.next(BillingInterval.MONTH);
            fixture.given(awaiting, activated).when(new ApplyProviderState(POOL, ORG, stripe(ProviderPayment.PAID, 5, next, true), graceEnds))
                    .expectEvents(new BillingPeriodRenewed(POOL, ORG, next), new SeatPoolCancellationScheduled(POOL, ORG, next.end()));
            fixture.given(awaiting, activated, new SeatPoolCancellationScheduled(POOL, ORG, PERIOD.end()))
                    .when(apply(ProviderPayment.PAID, 5))
                    .expectEvents(new SeatPoolCancellationWithdrawn(POOL, ORG, T0));
            var yearly = new ProviderState(ProviderPayment.PAID, links, 5, BillingInterval.YEAR, PERIOD, false);
            fixture.given(awaiting, activated).when(new ApplyProviderState(POOL, ORG, yearly, graceEnds))
                    .expectEvents(new BillingIntervalChanged(POOL, ORG, BillingInterval.MONTH, BillingInterval.YEAR, T0));
        }
    }

    /** Stripe-billed pools whose change waits for the period's end: Stripe's quantity moves only when the change takes effect. */
    @Nested
    class StripeScheduledChange {

        final StripeSubscription links = new StripeSubscription("cus_1", "sub_1", "si_1", null);
        final SeatPoolPurchased stripePool = new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH,
                PoolStatus.ACTIVE, PERIOD, links, T0);
        final BillingPeriod next = PERIOD.next(BillingInterval.MONTH);

        ApplyProviderState renewedAt(int quantity) {
            return new ApplyProviderState(POOL, ORG, new ProviderState(ProviderPayment.PAID, links, quantity, BillingInterval.MONTH, next, false), null);
        }

        @Test
        void stripesUnchangedQuantityDuringThePeriodIsNotForced() {
            fixture.given(stripePool, new SeatPoolResizeScheduled(POOL, ORG, 5, PERIOD.end()))
                    .when(new ApplyProviderState(POOL, ORG, new ProviderState(ProviderPayment.PAID, links, 10, BillingInterval.MONTH, PERIOD, false), null))
                    .expectNoEvents();
        }

        @Test
        void atRenewalTheScheduledQuantityStripeAppliedBecomesTheCapacity() {
            fixture.given(stripePool, new SeatPoolResizeScheduled(POOL, ORG, 5, PERIOD.end()), pending(seatId(), "a@example.com"))
                    .when(renewedAt(5))
                    .expectEvents(new SeatPoolResized(POOL, ORG, 10, 5, ProrationBehavior.NONE, PERIOD.end()), new BillingPeriodRenewed(POOL, ORG, next));
        }

        @Test
        void seatsTakenAfterTheDecreaseWasScheduledAreBilledFromTheRenewalAndNeverForcedAway() {
            List<Object> given = new ArrayList<>(List.of(stripePool, new SeatPoolResizeScheduled(POOL, ORG, 5, PERIOD.end())));
            for (int i = 0; i < 7; i++) {
                given.add(pending(seatId(), "user" + i + "@example.com"));
            }
            fixture.given(given)
                    .when(renewedAt(5))
                    .expectEvents(new SeatPoolResizeRequested(POOL, ORG, 7, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS, PERIOD.end()),
                            new BillingPeriodRenewed(POOL, ORG, next));
            given.add(new SeatPoolResizeRequested(POOL, ORG, 7, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS, PERIOD.end()));
            given.add(new BillingPeriodRenewed(POOL, ORG, next));
            // the renewal delivered again, and Stripe's older quantity while our request is in flight: nothing
            fixture.given(given).when(renewedAt(5)).expectNoEvents();
            // Stripe took 7: the capacity follows, nobody is over-allocated
            fixture.given(given).when(new ConfirmSeatPoolResize(POOL, ORG))
                    .expectEvents(new SeatPoolResized(POOL, ORG, 10, 7, ProrationBehavior.CREATE_PRORATIONS, T0));
        }

        @Test
        void aNewerResizeNowReplacesTheScheduledOneAndRenewalKeepsIt() {
            fixture.given(stripePool)
                    .andGivenCommands(new ResizeSeatPool(POOL, ORG, 5, ResizeTiming.PERIOD_END, ProrationBehavior.NONE),
                            new ConfirmSeatPoolResize(POOL, ORG),
                            new ResizeSeatPool(POOL, ORG, 12, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS))
                    .when(new ConfirmSeatPoolResize(POOL, ORG))
                    .expectEvents(new ScheduledResizeReplaced(POOL, ORG, 5, PERIOD.end(), T0),
                            new SeatPoolResized(POOL, ORG, 10, 12, ProrationBehavior.CREATE_PRORATIONS, T0));
        }
    }

    /** Suspension: payment in question, seats kept, nobody entitled, only {@code canceled} is final. */
    @Nested
    class Suspension {

        final StripeSubscription links = new StripeSubscription("cus_1", "sub_1", "si_1", null);
        final SeatPoolPurchased stripePool = new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 5, PRICING, BillingInterval.MONTH,
                PoolStatus.ACTIVE, PERIOD, links, T0);
        final SeatPoolSuspended unpaid = new SeatPoolSuspended(POOL, ORG, SuspensionCause.UNPAID, null, T0);
        final SeatPoolSuspended disputed = new SeatPoolSuspended(POOL, ORG, SuspensionCause.DISPUTE, "dp_1", T0);

        ApplyProviderState stripeSays(ProviderPayment payment) {
            return new ApplyProviderState(POOL, ORG, new ProviderState(payment, links, 5, BillingInterval.MONTH, PERIOD, false), T0.plus(Duration.ofDays(3)));
        }

        ApplyPaymentState dispute(String id, PaymentState.DisputeStatus status) {
            return new ApplyPaymentState(POOL, ORG, new PaymentState("ch_1", 6000, 0, "eur", id, status));
        }

        @Test
        void unpaidSuspendsOnceKeepingEverySeat() {
            String seat = seatId();
            fixture.given(stripePool, pending(seat, "a@example.com"), claimed(seat, "user-a"))
                    .when(stripeSays(ProviderPayment.UNPAID))
                    .expectEvents(unpaid);
            fixture.given(stripePool, new SeatPoolWentPastDue(POOL, ORG, T0.plus(Duration.ofDays(3)), T0))
                    .when(stripeSays(ProviderPayment.UNPAID)).expectEvents(unpaid);
            fixture.given(stripePool, unpaid).when(stripeSays(ProviderPayment.UNPAID)).expectNoEvents();
            fixture.given(stripePool, unpaid).when(stripeSays(ProviderPayment.PAST_DUE)).expectNoEvents();
        }

        @Test
        void payingTheInvoiceRestoresThePool() {
            fixture.given(stripePool, unpaid).when(stripeSays(ProviderPayment.PAID))
                    .expectEvents(new SeatPoolSuspensionLifted(POOL, ORG, SuspensionCause.UNPAID, null, PoolStatus.ACTIVE, T0));
            // an open dispute keeps it suspended
            fixture.given(stripePool, unpaid, disputed).when(stripeSays(ProviderPayment.PAID))
                    .expectEvents(new SeatPoolSuspensionLifted(POOL, ORG, SuspensionCause.UNPAID, null, PoolStatus.SUSPENDED, T0));
            // a paid subscription says nothing about a dispute
            fixture.given(stripePool, disputed).when(stripeSays(ProviderPayment.PAID)).expectNoEvents();
        }

        @Test
        void aSuspendedPoolTakesNoNewSeatsNorClaims() {
            String seat = seatId();
            expectRejection(fixture.given(stripePool, unpaid).when(new AssignSeat(POOL, ORG, seatId(), "b@example.com", false, null, Map.of()), MANAGER),
                    ErrorCode.POOL_NOT_ACTIVE);
            expectRejection(fixture.given(stripePool, disputed).when(new AssignSeats(POOL, ORG,
                    List.of(new SeatRequest(seatId(), "b@example.com", false, null, Map.of())), true), MANAGER), ErrorCode.POOL_NOT_ACTIVE);
            expectRejection(fixture.given(stripePool, pending(seat, "a@example.com", "hash-a"), unpaid)
                    .when(new ClaimSeat(POOL, seat, "hash-a", "user-a", "a@example.com", true)), ErrorCode.POOL_NOT_ACTIVE);
            assertThat(PoolStatus.SUSPENDED.inService(false)).isFalse();
        }

        @Test
        void aSuspendedPoolMayShrinkButNotGrow() {
            expectRejection(fixture.given(stripePool, unpaid)
                    .when(new ResizeSeatPool(POOL, ORG, 6, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS), MANAGER), ErrorCode.POOL_NOT_ACTIVE);
            expectRejection(fixture.given(stripePool, disputed)
                    .when(new ResizeSeatPool(POOL, ORG, 6, ResizeTiming.PERIOD_END, ProrationBehavior.NONE), MANAGER), ErrorCode.POOL_NOT_ACTIVE);
            fixture.given(stripePool, unpaid).when(new ResizeSeatPool(POOL, ORG, 4, ResizeTiming.NOW, ProrationBehavior.NONE), MANAGER)
                    .expectEvents(new SeatPoolResizeRequested(POOL, ORG, 4, ResizeTiming.NOW, ProrationBehavior.NONE, T0));
        }

        @Test
        void canceledStaysFinal() {
            fixture.given(stripePool, unpaid, new SeatPoolCanceled(POOL, ORG, T0)).when(stripeSays(ProviderPayment.PAID)).expectNoEvents();
            fixture.given(stripePool, new SeatPoolCanceled(POOL, ORG, T0)).when(stripeSays(ProviderPayment.UNPAID)).expectNoEvents();
            fixture.given(stripePool, new SeatPoolCanceled(POOL, ORG, T0)).when(dispute("dp_1", PaymentState.DisputeStatus.OPEN)).expectNoEvents();
        }

        @Test
        void aDisputeSuspendsUntilWonAndEndsThePoolWhenLost() {
            fixture.given(stripePool).when(dispute("dp_1", PaymentState.DisputeStatus.OPEN)).expectEvents(disputed);
            fixture.given(stripePool, disputed).when(dispute("dp_1", PaymentState.DisputeStatus.OPEN)).expectNoEvents();
            fixture.given(stripePool, disputed).when(dispute("dp_1", PaymentState.DisputeStatus.WON))
                    .expectEvents(new SeatPoolSuspensionLifted(POOL, ORG, SuspensionCause.DISPUTE, "dp_1", PoolStatus.ACTIVE, T0));
            fixture.given(stripePool, disputed, new SeatPoolSuspended(POOL, ORG, SuspensionCause.DISPUTE, "dp_2", T0))
                    .when(dispute("dp_1", PaymentState.DisputeStatus.WON))
                    .expectEvents(new SeatPoolSuspensionLifted(POOL, ORG, SuspensionCause.DISPUTE, "dp_1", PoolStatus.SUSPENDED, T0));
            // won before it was ever seen open (a shuffled delivery): nothing to lift
            fixture.given(stripePool).when(dispute("dp_1", PaymentState.DisputeStatus.WON)).expectNoEvents();
            String seat = seatId();
            fixture.given(stripePool, pending(seat, "a@example.com"), disputed).when(dispute("dp_1", PaymentState.DisputeStatus.LOST))
                    .expectEvents(new SeatPoolCanceled(POOL, ORG, T0),
                            new SeatRevoked(POOL, ORG, seat, SeatStatus.PENDING, RevocationReason.DISPUTE_LOST, T0));
        }
    }

    @Nested
    class Refunds {

        final SeatPoolPurchased order = new SeatPoolPurchased(POOL, ORG, PoolKind.ORDER, 3, PRICING, null, PoolStatus.ACTIVE, null,
                new StripeSubscription("cus_1", null, null, "cs_1"), T0);

        ApplyPaymentState refunded(long amount) {
            return new ApplyPaymentState(POOL, ORG, new PaymentState("ch_1", 3000, amount, "eur", null, null));
        }

        @Test
        void aPartialRefundIsRecordedOnceAndChangesNothingElse() {
            fixture.given(order).when(refunded(1000))
                    .expectEvents(new PaymentRefunded(POOL, ORG, "ch_1", 3000, 1000, "eur", false, T0, new Charge(3, -1000, "eur", null, null)));
            fixture.given(order, new PaymentRefunded(POOL, ORG, "ch_1", 3000, 1000, "eur", false, T0)).when(refunded(1000)).expectNoEvents();
            fixture.given(order).when(refunded(0)).expectNoEvents();
        }

        @Test
        void aFullRefundOfAnOrderCancelsItAndRevokesItsSeats() {
            String a = seatId();
            String b = seatId();
            List<String> sorted = a.compareTo(b) < 0 ? List.of(a, b) : List.of(b, a);
            fixture.given(order, pending(a, "a@example.com"), pending(b, "b@example.com", "hash-b"), claimed(b, "user-b"),
                            new PaymentRefunded(POOL, ORG, "ch_1", 3000, 1000, "eur", false, T0))
                    .when(refunded(3000))
                    .expectEvents(new PaymentRefunded(POOL, ORG, "ch_1", 3000, 3000, "eur", true, T0, new Charge(3, -2000, "eur", null, null)),
                            new SeatPoolCanceled(POOL, ORG, T0),
                            new SeatRevoked(POOL, ORG, sorted.get(0), sorted.get(0).equals(a) ? SeatStatus.PENDING : SeatStatus.CLAIMED,
                                    RevocationReason.ORDER_REFUNDED, T0),
                            new SeatRevoked(POOL, ORG, sorted.get(1), sorted.get(1).equals(a) ? SeatStatus.PENDING : SeatStatus.CLAIMED,
                                    RevocationReason.ORDER_REFUNDED, T0));
            fixture.given(order, new SeatPoolCanceled(POOL, ORG, T0)).when(refunded(3000)).expectNoEvents();
        }

        @Test
        void aFullRefundOfASubscriptionInvoiceIsOnlyRecorded() {
            fixture.given(purchased(3)).when(refunded(3000))
                    .expectEvents(new PaymentRefunded(POOL, ORG, "ch_1", 3000, 3000, "eur", true, T0, new Charge(3, -3000, "eur", null, null)));
        }

        @Test
        void aPaymentStateNeedsItsChargeAndPlainText() {
            expectRejection(fixture.given(order).when(new ApplyPaymentState(POOL, ORG, new PaymentState(null, 3000, 0, "eur", null, null))),
                    ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.given(order).when(new ApplyPaymentState(POOL, ORG, new PaymentState("ch\u0000", 3000, 0, "eur", null, null))),
                    ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.given(order).when(new ApplyPaymentState(POOL, ORG, new PaymentState("ch_1", 3000, 0, "eur", "dp_1", null))),
                    ErrorCode.VALIDATION_FAILED);
        }
    }

    /**
     * Text with a control character never reaches an event, whichever way the command came: PostgreSQL refuses
     * U+0000 in text, which stopped the organization's read models for good.
     */
    @Nested
    class ControlCharacters {

        /** U+0000, another C0 control, DEL, a C1 control, the line separator, an unpaired surrogate. */
        static final List<String> POISON = List.of("\u0000", "\u0007", "\u007f", "\u0085", "\u2028", "\ud800");

        private final SeatPoolPurchased awaiting = new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 5, PRICING, BillingInterval.MONTH,
                PoolStatus.AWAITING_PAYMENT, null, new StripeSubscription(null, null, null, null), T0);

        @Test
        void anAddressWithOneIsRefused() {
            for (String poison : POISON) {
                expectRejection(fixture.given(purchased(5))
                        .when(new AssignSeat(POOL, ORG, seatId(), "ada" + poison + "@example.com", false, null, Map.of()), MANAGER), ErrorCode.VALIDATION_FAILED);
                expectRejection(fixture.given(purchased(5), pending(seatId(), "ada@example.com"))
                        .when(new AssignSeat(POOL, ORG, seatId(), "ada@example.com" + poison, true, "user-ada", Map.of()), MANAGER), ErrorCode.VALIDATION_FAILED);
            }
        }

        @Test
        void metadataWithOneInAKeyOrAValueIsRefused() {
            for (String poison : POISON) {
                expectRejection(fixture.given(purchased(5))
                        .when(new AssignSeat(POOL, ORG, seatId(), "ada@example.com", false, null, Map.of("team" + poison, "core")), MANAGER),
                        ErrorCode.VALIDATION_FAILED);
                expectRejection(fixture.given(purchased(5))
                        .when(new AssignSeat(POOL, ORG, seatId(), "ada@example.com", false, null, Map.of("team", "co" + poison + "re")), MANAGER),
                        ErrorCode.VALIDATION_FAILED);
            }
        }

        @Test
        void aBulkRowWithOneIsRefusedAndTheOtherRowsAreNot() {
            List<SeatRequest> rows = List.of(
                    new SeatRequest(seatId(), "a\u0000@example.com", false, null, Map.of()),
                    new SeatRequest(seatId(), "b@example.com", false, null, Map.of("note", "\u0000")),
                    new SeatRequest(seatId(), "c@example.com", true, "user-c", Map.of("note", "fine")));
            List<BulkAssignment> answers = new ArrayList<>();
            fixture.given(purchased(5))
                    .when(new AssignSeats(POOL, ORG, rows, false), MANAGER)
                    .expectEventsMatching(payloadsMatching(exactSequenceOf(
                            matches(e -> e instanceof SeatAssigned a && a.email().equals("c@example.com")),
                            matches(e -> e instanceof SeatClaimed),
                            andNoMore())))
                    .expectResultMessagePayloadMatching(matches(answer -> answers.add((BulkAssignment) answer)));
            assertThat(answers.get(0).rejected()).extracting(SeatRejection::index, SeatRejection::code).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, ErrorCode.VALIDATION_FAILED), org.assertj.core.groups.Tuple.tuple(1, ErrorCode.VALIDATION_FAILED));
        }

        @Test
        void aTransferToAnAddressWithOneIsRefused() {
            String seat = seatId();
            expectRejection(fixture.given(purchased(5), pending(seat, "ada@example.com"))
                    .when(new TransferSeat(POOL, ORG, seat, seatId(), "bob\u0000@example.com"), MANAGER), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void aClaimByAUserIdWithOneIsRefused() {
            String seat = seatId();
            InvitationToken token = InvitationToken.issue(UUID.fromString(POOL), UUID.fromString(seat));
            expectRejection(fixture.given(purchased(2), pending(seat, "ada@example.com", token.sha256()))
                    .when(new ClaimSeat(POOL, seat, token.sha256(), "user\u0000ada", "ada@example.com", true)), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void commandMetadataWithOneIsRefusedWhateverTheCommand() {
            Map<String, String> poisonedActor = new AuditMetadata("manager\u0000", Set.of(), "req-1", "", ORG).asMap();
            expectRejection(fixture.given(purchased(5))
                    .when(new AssignSeat(POOL, ORG, seatId(), "ada@example.com", false, null, Map.of()), poisonedActor), ErrorCode.VALIDATION_FAILED);
            Map<String, String> poisonedReason = new AuditMetadata("manager-1", Set.of(), "req-1", "because\u2028", ORG).asMap();
            expectRejection(fixture.given(purchased(5))
                    .when(new CancelSeatPool(POOL, ORG, false), poisonedReason), ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.givenNoPriorActivity()
                    .when(new PurchaseSeatPool(POOL, ORG, PoolKind.ORDER, 3, PRICING, null, null), poisonedActor), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void stripeDrivenCommandsCarryingOneAreRefused() {
            expectRejection(fixture.given(awaiting).when(new AttachCheckoutSession(POOL, ORG, "cs_\u0000"), MANAGER), ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.given(awaiting).when(providerSays(ProviderPayment.PAID, new StripeSubscription("cus_1", "sub_\u0000", "si_1", null),
                    5, PERIOD, null)), ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.givenNoPriorActivity().when(new PurchaseSeatPool(POOL, ORG, PoolKind.ORDER, 3, PRICING, null,
                    new StripeSubscription(null, null, null, "cs\u0085")), MANAGER), ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.given(purchased(5)).when(new FailSeatPoolResize(POOL, ORG, "card_declined\n")), ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void addressesAreStoredInNfcAndComparedAfterItAndCaseFolding() {
            String decomposed = "Ame\u0301lie@example.com";
            String seat = seatId();
            fixture.given(purchased(5))
                    .when(new AssignSeat(POOL, ORG, seat, decomposed, false, null, Map.of()), MANAGER)
                    .expectEventsMatching(events(SeatAssigned.class, assigned -> assigned.email().equals("Am\u00e9lie@example.com")));
            expectRejection(fixture.given(purchased(5), pending(seatId(), decomposed))
                    .when(new AssignSeat(POOL, ORG, seatId(), "AM\u00c9LIE@example.com", false, null, Map.of()), MANAGER), ErrorCode.SEAT_ALREADY_ASSIGNED);
        }
    }

    /**
     * Every command is answered with the seat or pool as the pool holds it after the command (the HTTP answers show it
     * without a read model): the same facts, field by field, as the read model derives from the events.
     */
    @Nested
    class Answers {

        private final String seat = seatId();
        private final Instant later = T0.plus(Duration.ofHours(2));

        @Test
        void aRevokedClaimedSeatKeepsItsHolderAndClaimTimeAndShowsWhenItWasRevoked() {
            clock.set(later);
            fixture.given(purchased(3), new SeatAssigned(POOL, ORG, seat, "ada@example.com", null, null, Map.of("team", "core"), T0), claimed(seat, "user-ada"))
                    .when(new RevokeSeat(POOL, ORG, seat), MANAGER)
                    .expectResultMessagePayload(new SeatState(seat, POOL, ORG, SeatStatus.REVOKED, "ada@example.com", "user-ada", T0, T0, later, null,
                            Map.of("team", "core")));
        }

        @Test
        void aTransferOpensAPendingSeatWithTheOldSeatsMetadata() {
            String next = seatId();
            clock.set(later);
            List<SeatAssignment> answers = new ArrayList<>();
            fixture.given(purchased(3), new SeatAssigned(POOL, ORG, seat, "ada@example.com", "hash", T0.plus(Duration.ofDays(7)), Map.of("team", "core"), T0))
                    .when(new TransferSeat(POOL, ORG, seat, next, "Bob@Example.com"), MANAGER)
                    .expectResultMessagePayloadMatching(matches(answer -> answers.add((SeatAssignment) answer)));
            SeatAssignment answer = answers.get(0);
            assertThat(answer.seat()).isEqualTo(new SeatState(next, POOL, ORG, SeatStatus.PENDING, "Bob@Example.com", null, later, null, null,
                    answer.invitation().expiresAt(), Map.of("team", "core")));
            assertThat(answer.invitation().expiresAt()).isEqualTo(later.plus(Duration.ofDays(7)));
        }

        @Test
        void aResentInvitationShowsTheNewExpiry() {
            clock.set(later);
            List<SeatAssignment> answers = new ArrayList<>();
            fixture.given(purchased(3), pending(seat, "ada@example.com"))
                    .when(new ResendInvitation(POOL, ORG, seat), MANAGER)
                    .expectResultMessagePayloadMatching(matches(answer -> answers.add((SeatAssignment) answer)));
            assertThat(answers.get(0).seat()).isEqualTo(new SeatState(seat, POOL, ORG, SeatStatus.PENDING, "ada@example.com", null, T0, null, null,
                    later.plus(Duration.ofDays(7)), Map.of()));
        }

        @Test
        void thePoolsCountsAndVersionFollowEveryEvent() {
            String bob = seatId();
            String cy = seatId();
            // events 0..5: purchase, three seats (one claimed), a claimed seat transferred, cy revoked
            List<Object> answers = new ArrayList<>();
            fixture.given(purchased(5), pending(seat, "ada@example.com"), pending(bob, "bob@example.com"), claimed(bob, "user-bob"),
                            pending(cy, "cy@example.com"),
                            new SeatTransferred(POOL, ORG, bob, SeatStatus.CLAIMED, seatId(), "dee@example.com", "hash", T0.plus(Duration.ofDays(7)), T0),
                            new SeatRevoked(POOL, ORG, cy, SeatStatus.PENDING, RevocationReason.REVOKED_BY_MANAGER, T0))
                    .when(new ChangeBillingInterval(POOL, ORG, BillingInterval.YEAR), MANAGER)
                    .expectResultMessagePayloadMatching(matches(answers::add));
            PoolState pool = (PoolState) answers.get(0);
            // ada pending, dee pending (bob's claimed seat moved to her), cy revoked
            assertThat(pool.pending()).isEqualTo(2);
            assertThat(pool.claimed()).isZero();
            assertThat(pool.capacity()).isEqualTo(5);
            assertThat(pool.interval()).isEqualTo(BillingInterval.YEAR);
            assertThat(pool.version()).isEqualTo(7);
            assertThat(pool.createdAt()).isEqualTo(T0);
        }

        @Test
        void aCancellationNowShowsTheCanceledPoolWithoutSeatsInUse() {
            String bob = seatId();
            fixture.given(purchased(5), pending(seat, "ada@example.com"), new SeatAssigned(POOL, ORG, bob, "b@example.com", null, null, Map.of(), T0),
                            claimed(bob, "user-bob"))
                    .when(new CancelSeatPool(POOL, ORG, false), MANAGER)
                    .expectResultMessagePayloadMatching(matches(answer -> answer instanceof PoolState pool && pool.status() == PoolStatus.CANCELED
                            && pool.pending() == 0 && pool.claimed() == 0 && !pool.cancelAtPeriodEnd()));
        }

        @Test
        void aCancellationAtPeriodEndIsShownAsScheduled() {
            fixture.given(purchased(5))
                    .when(new CancelSeatPool(POOL, ORG, true), MANAGER)
                    .expectResultMessagePayload(new PoolState(POOL, ORG, PoolKind.SUBSCRIPTION, PoolStatus.ACTIVE, BillingInterval.MONTH, 5, 0, 0,
                            PRICING, PERIOD, true, null, null, 1, T0));
        }

        @Test
        void aScheduledResizeIsShownOnThePool() {
            fixture.given(purchased(5))
                    .when(new ResizeSeatPool(POOL, ORG, 3, ResizeTiming.PERIOD_END, ProrationBehavior.NONE), MANAGER)
                    .expectResultMessagePayload(new ResizeResult(ResizeOutcome.SCHEDULED, new PoolState(POOL, ORG, PoolKind.SUBSCRIPTION,
                            PoolStatus.ACTIVE, BillingInterval.MONTH, 5, 0, 0, PRICING, PERIOD, false, new ScheduledChange(3, PERIOD.end()), null, 1, T0)));
        }

        @Test
        void everyBulkRowShowsItsSeat() {
            List<BulkAssignment> answers = new ArrayList<>();
            String claimedAtOnce = seatId();
            fixture.given(purchased(5))
                    .when(new AssignSeats(POOL, ORG, List.of(new SeatRequest(seat, "a@example.com", false, null, Map.of("k", "v")),
                            new SeatRequest(claimedAtOnce, "b@example.com", true, "user-b", null)), true), MANAGER)
                    .expectResultMessagePayloadMatching(matches(answer -> answers.add((BulkAssignment) answer)));
            List<SeatAssignment> assigned = answers.get(0).assigned();
            assertThat(assigned.get(0).seat()).isEqualTo(new SeatState(seat, POOL, ORG, SeatStatus.PENDING, "a@example.com", null, T0, null, null,
                    T0.plus(Duration.ofDays(7)), Map.of("k", "v")));
            assertThat(assigned.get(1).seat()).isEqualTo(new SeatState(claimedAtOnce, POOL, ORG, SeatStatus.CLAIMED, "b@example.com", "user-b", T0, T0,
                    null, null, Map.of()));
        }
    }
}
