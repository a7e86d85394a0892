package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PersonalData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SeatIndexTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant EXPIRY = T0.plus(Duration.ofDays(7));

    static Seat pending(String seatId, String email, Instant expiresAt) {
        return Seat.pending(seatId, email, "hash-" + seatId, expiresAt, T0, Map.of());
    }

    @Test
    void findsTheOccupiedSeatOfAnAddressByItsSubject() {
        SeatIndex index = SeatIndex.of(List.of(pending("s1", "Ann@Example.com", EXPIRY)));
        assertThat(index.occupiedSeatOf(PersonalData.subject("ann@example.com"))).isEqualTo("s1");
        assertThat(index.occupiedSeatOf(PersonalData.subject("bob@example.com"))).isNull();
    }

    /** A sealed seat is found by another seal of its subject and by its reference, never by another subject's. */
    @Test
    void findsTheOccupiedSeatOfASealedAddressByAnyFormOfItsSubject() {
        String ann = "a".repeat(64);
        String bob = "a".repeat(63) + "b";
        String sealedAnn = PersonalData.PREFIX + ann + ":" + "x".repeat(60);
        SeatIndex index = SeatIndex.of(List.of(pending("s1", sealedAnn, EXPIRY)));
        assertThat(index.occupiedSeatOf(PersonalData.subject(PersonalData.PREFIX + ann + ":" + "y".repeat(64)))).isEqualTo("s1");
        assertThat(index.occupiedSeatOf(PersonalData.reference(ann))).isEqualTo("s1");
        assertThat(index.occupiedSeatOf(PersonalData.PREFIX + ann + ":" + "z".repeat(50))).as("a sealed value as it is").isEqualTo("s1");
        assertThat(index.occupiedSeatOf(PersonalData.reference(bob))).isNull();
        assertThat(index.occupiedSeatOf(PersonalData.subject("ann@example.com"))).as("a clear address is another subject").isNull();
        Seat sealedSeat = pending("s1", sealedAnn, EXPIRY);
        index.replace(sealedSeat, sealedSeat.revoked(T0));
        assertThat(index.occupiedSeatOf(PersonalData.reference(ann))).isNull();
    }

    @Test
    void followsASeatThroughItsClaimAndRevocation() {
        Seat invited = pending("s1", "ann@example.com", EXPIRY);
        SeatIndex index = SeatIndex.of(List.of(invited));
        Seat claimed = invited.claimedBy("user-1", T0);
        index.replace(invited, claimed);
        assertThat(index.claimedSeatOf("user-1")).isEqualTo("s1");
        assertThat(index.pendingExpiringBy(EXPIRY)).as("no longer pending").isEmpty();
        index.replace(claimed, claimed.revoked(T0));
        assertThat(index.claimedSeatOf("user-1")).isNull();
        assertThat(index.occupiedSeatOf(PersonalData.subject("ann@example.com"))).isNull();
    }

    @Test
    void findsPendingInvitationsByExpiry() {
        SeatIndex index = SeatIndex.of(List.of(pending("s1", "a@example.com", EXPIRY), pending("s2", "b@example.com", EXPIRY),
                pending("s3", "c@example.com", EXPIRY.plusSeconds(90))));
        assertThat(index.pendingExpiringBy(EXPIRY)).containsExactly(Map.entry(EXPIRY, Set.of("s1", "s2")));
        assertThat(index.hasPendingExpiringWithin(new ExpiryCheck(EXPIRY.minusSeconds(60), EXPIRY))).isTrue();
        assertThat(index.hasPendingExpiringWithin(new ExpiryCheck(EXPIRY, EXPIRY.plusSeconds(60)))).as("(from, runsAt]: from excluded").isFalse();
        assertThat(index.hasPendingExpiringWithin(new ExpiryCheck(EXPIRY.plusSeconds(60), EXPIRY.plusSeconds(120)))).isTrue();
    }

    @Test
    void theDueInvitationsAreACopyTheCallerMayExpireWhileWalkingIt() {
        Seat invited = pending("s1", "a@example.com", EXPIRY);
        SeatIndex index = SeatIndex.of(List.of(invited));
        var due = index.pendingExpiringBy(EXPIRY);
        index.replace(invited, invited.expired());
        assertThat(due).containsExactly(Map.entry(EXPIRY, Set.of("s1")));
        assertThat(index.pendingExpiringBy(EXPIRY)).isEmpty();
    }
}
