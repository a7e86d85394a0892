package io.seatledger.command.seatpool;

import io.seatledger.command.testing.TestClock;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.InvitationToken;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.seatpool.AssignSeat;
import io.seatledger.messages.seatpool.AssignSeats;
import io.seatledger.messages.seatpool.BulkAssignment;
import io.seatledger.messages.seatpool.ClaimSeat;
import io.seatledger.messages.seatpool.RevocationReason;
import io.seatledger.messages.seatpool.SeatAssigned;
import io.seatledger.messages.seatpool.SeatRequest;
import io.seatledger.messages.seatpool.SeatRevoked;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.messages.seatpool.SeatTransferred;
import io.seatledger.messages.seatpool.TransferSeat;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.seatledger.command.seatpool.SeatPoolTest.ORG;
import static io.seatledger.command.seatpool.SeatPoolTest.POOL;
import static io.seatledger.command.seatpool.SeatPoolTest.T0;
import static io.seatledger.command.seatpool.SeatPoolTest.claimed;
import static io.seatledger.command.seatpool.SeatPoolTest.events;
import static io.seatledger.command.seatpool.SeatPoolTest.expectRejection;
import static io.seatledger.command.seatpool.SeatPoolTest.pending;
import static io.seatledger.command.seatpool.SeatPoolTest.purchased;
import static io.seatledger.command.seatpool.SeatPoolTest.seatId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool's address rules on sealed addresses ({@link PersonalData}): one occupied seat per subject and the claim's
 * match are decided by the keyed digest alone; a sealed address is stored as sent; seats stored in clear before
 * sealing still load and keep their own rules.
 */
class SealedAddressesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> MANAGER = new AuditMetadata("manager-1", Set.of(), "req-1", "", ORG).asMap();
    private static final String ADA = digest();
    private static final String BOB = digest();

    private final TestClock clock = new TestClock(T0);
    private AggregateTestFixture<SeatPool> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(SeatPool.class);
        fixture.registerInjectableResource(clock);
        fixture.registerInjectableResource(SeatPolicy.DEFAULT);
    }

    private static String digest() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The subject sealed once more: another IV gives another ciphertext, the digest stays. */
    private static String sealed(String digest) {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        return PersonalData.PREFIX + digest + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void aSealedAddressIsStoredAsSent() {
        String seat = seatId();
        String ada = sealed(ADA);
        fixture.given(purchased(2))
                .when(new AssignSeat(POOL, ORG, seat, ada, true, "user-ada", Map.of()), MANAGER)
                .expectEvents(new SeatAssigned(POOL, ORG, seat, ada, null, null, Map.of(), T0), claimed(seat, "user-ada"));
    }

    @Test
    void theSameSubjectUnderAnotherCiphertextHoldsOneSeatPerPool() {
        String first = sealed(ADA);
        String second = sealed(ADA);
        assertThat(first).isNotEqualTo(second);
        expectRejection(fixture.given(purchased(5), pending(seatId(), first))
                .when(new AssignSeat(POOL, ORG, seatId(), second, false, null, Map.of()), MANAGER), ErrorCode.SEAT_ALREADY_ASSIGNED);
    }

    @Test
    void anotherSubjectIsAssignedAndARevokedSeatFreesItsSubject() {
        String old = seatId();
        fixture.given(purchased(5), pending(old, sealed(ADA)))
                .when(new AssignSeat(POOL, ORG, seatId(), sealed(BOB), false, null, Map.of()), MANAGER)
                .expectEventsMatching(events(SeatAssigned.class, assigned -> PersonalData.digest(assigned.email()).equals(BOB)));
        fixture.given(purchased(1), pending(old, sealed(ADA)), new SeatRevoked(POOL, ORG, old, SeatStatus.PENDING, RevocationReason.REVOKED_BY_MANAGER, T0))
                .when(new AssignSeat(POOL, ORG, seatId(), sealed(ADA), false, null, Map.of()), MANAGER)
                .expectEventsMatching(events(SeatAssigned.class, assigned -> PersonalData.digest(assigned.email()).equals(ADA)));
    }

    @Test
    void aTransferToASubjectThatHoldsASeatIsRefused() {
        String seat = seatId();
        expectRejection(fixture.given(purchased(3), pending(seat, sealed(ADA)), pending(seatId(), sealed(BOB)))
                .when(new TransferSeat(POOL, ORG, seat, seatId(), sealed(BOB)), MANAGER), ErrorCode.SEAT_ALREADY_ASSIGNED);
        String to = sealed(BOB);
        String newSeat = seatId();
        fixture.given(purchased(3), pending(seat, sealed(ADA)))
                .when(new TransferSeat(POOL, ORG, seat, newSeat, to), MANAGER)
                .expectEventsMatching(events(SeatTransferred.class, transferred -> transferred.toEmail().equals(to)));
    }

    @Test
    void aBulkRefusesASubjectTwiceInOneRequestAndOneThePoolHolds() {
        List<BulkAssignment> answers = new ArrayList<>();
        fixture.given(purchased(10), pending(seatId(), sealed(BOB)))
                .when(new AssignSeats(POOL, ORG, List.of(new SeatRequest(seatId(), sealed(ADA), false, null, null),
                        new SeatRequest(seatId(), sealed(ADA), false, null, null),
                        new SeatRequest(seatId(), sealed(BOB), false, null, null)), false), MANAGER)
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.matches(answer -> answers.add((BulkAssignment) answer)));
        assertThat(answers.get(0).assigned()).hasSize(1);
        assertThat(answers.get(0).rejected()).extracting(rejection -> rejection.index() + ":" + rejection.code())
                .containsExactly("1:SEAT_ALREADY_ASSIGNED", "2:SEAT_ALREADY_ASSIGNED");
    }

    @Test
    void aClaimMatchesBySubjectDigestNeverByAddress() {
        String seat = seatId();
        InvitationToken token = InvitationToken.issue(UUID.fromString(POOL), UUID.fromString(seat));
        fixture.given(purchased(2), pending(seat, sealed(ADA), token.sha256()))
                .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", PersonalData.reference(ADA), true))
                .expectEvents(claimed(seat, "user-ada"));
        expectRejection(fixture.given(purchased(2), pending(seat, sealed(ADA), token.sha256()))
                .when(new ClaimSeat(POOL, seat, token.sha256(), "user-bob", PersonalData.reference(BOB), true)), ErrorCode.EMAIL_MISMATCH);
        // a clear address never matches a sealed seat: the pool cannot tell whose it is
        expectRejection(fixture.given(purchased(2), pending(seat, sealed(ADA), token.sha256()))
                .when(new ClaimSeat(POOL, seat, token.sha256(), "user-ada", "ada@example.com", true)), ErrorCode.EMAIL_MISMATCH);
    }

    @Test
    void seatsStoredInClearBeforeSealingStillLoadAndKeepTheirRules() {
        String legacy = seatId();
        InvitationToken token = InvitationToken.issue(UUID.fromString(POOL), UUID.fromString(legacy));
        fixture.given(purchased(3), pending(legacy, "ada@example.com", token.sha256()), pending(seatId(), sealed(BOB)))
                .when(new ClaimSeat(POOL, legacy, token.sha256(), "user-ada", "ADA@example.com", true))
                .expectEvents(claimed(legacy, "user-ada"));
        expectRejection(fixture.given(purchased(3), pending(legacy, "ada@example.com"), pending(seatId(), sealed(BOB)))
                .when(new AssignSeat(POOL, ORG, seatId(), "Ada@Example.com", false, null, Map.of()), MANAGER), ErrorCode.SEAT_ALREADY_ASSIGNED);
    }

    @Test
    void aMalformedSealedAddressIsRefused() {
        for (String bad : List.of("pd1:" + ADA, "pd1:" + ADA.toUpperCase() + ":AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "pd1:abc:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", sealed(ADA) + "=", sealed(ADA) + "\n")) {
            expectRejection(fixture.given(purchased(2))
                    .when(new AssignSeat(POOL, ORG, seatId(), bad, false, null, Map.of()), MANAGER), ErrorCode.VALIDATION_FAILED);
        }
    }
}
