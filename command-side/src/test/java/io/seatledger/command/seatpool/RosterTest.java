package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PersonalData;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;

import static io.seatledger.command.seatpool.SeatIndexTest.EXPIRY;
import static io.seatledger.command.seatpool.SeatIndexTest.T0;
import static io.seatledger.command.seatpool.SeatIndexTest.pending;
import static org.assertj.core.api.Assertions.assertThat;

class RosterTest {

    @Test
    void itsLookupsFollowTheSeatsPutAfterTheyWereFirstUsed() {
        Roster roster = new Roster();
        roster.put(pending("s1", "a@example.com", EXPIRY));
        assertThat(roster.occupiedSeatOf(PersonalData.subject("a@example.com"))).isEqualTo("s1");
        roster.put(roster.get("s1").claimedBy("user-1", T0));
        roster.put(pending("s2", "b@example.com", EXPIRY));
        assertThat(roster.claimedSeatOf("user-1")).isEqualTo("s1");
        assertThat(roster.occupiedSeatOf(PersonalData.subject("b@example.com"))).isEqualTo("s2");
        assertThat(roster.size()).isEqualTo(2);
        assertThat(roster.get(null)).isNull();
        assertThat(roster.contains("s2")).isTrue();
    }

    @Test
    void theDueInvitationsComeSoonestFirstThenBySeatId() {
        Roster roster = new Roster();
        roster.put(pending("s3", "c@example.com", EXPIRY));
        roster.put(pending("s1", "a@example.com", EXPIRY.plusSeconds(1)));
        roster.put(pending("s2", "b@example.com", EXPIRY));
        roster.put(pending("s4", "d@example.com", EXPIRY.plus(Duration.ofDays(1))));
        assertThat(roster.pendingExpiringBy(EXPIRY.plusSeconds(1))).extracting(Seat::seatId).containsExactly("s2", "s3", "s1");
    }

    @Test
    void theSeatsInUseArePendingAndClaimedOnesBySeatId() {
        Roster roster = new Roster();
        roster.put(pending("s2", "b@example.com", EXPIRY));
        roster.put(pending("s1", "a@example.com", EXPIRY).claimedBy("user-1", T0));
        roster.put(pending("s3", "c@example.com", EXPIRY).revoked(T0));
        roster.put(pending("s0", "z@example.com", EXPIRY).expired());
        assertThat(roster.inUse()).extracting(Seat::seatId).containsExactly("s1", "s2");
    }

    @Test
    void inASnapshotTheSeatsAreAListAndReadBackWithTheirLookups() throws Exception {
        ObjectMapper json = Jackson3Serializer.builder().build().getObjectMapper();
        Roster roster = new Roster();
        roster.put(pending("s1", "a@example.com", EXPIRY).claimedBy("user-1", T0));
        String written = json.writeValueAsString(roster);
        assertThat(written).startsWith("[{\"seatId\":\"s1\"");
        Roster read = json.readValue(written, Roster.class);
        assertThat(read.seats()).containsExactlyElementsOf(roster.seats());
        assertThat(read.claimedSeatOf("user-1")).isEqualTo("s1");
        assertThat(json.readValue("[]", Roster.class).size()).isZero();
    }

}
