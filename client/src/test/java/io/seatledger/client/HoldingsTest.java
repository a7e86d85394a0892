package io.seatledger.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache's memory: what a user's seats and their pools' statuses make of them, and messages applied twice or out of place. */
class HoldingsTest {

    private final Holdings holdings = new Holdings(10);

    @Test
    void aUserIsEntitledByAnyOfTheirSeatsInAnActivePool() {
        holdings.poolStatus("active", "active");
        holdings.poolStatus("gone", "canceled");
        holdings.claimed("gone", "s1", "ann");
        assertThat(holdings.answer("ann")).isEqualTo(Holdings.NOT_ENTITLED);

        holdings.claimed("active", "s2", "ann");
        assertThat(holdings.answer("ann")).isEqualTo(Holdings.ENTITLED);

        holdings.ended("s2");
        assertThat(holdings.answer("ann")).isEqualTo(Holdings.NOT_ENTITLED);
        holdings.ended("s1");
        assertThat(holdings.users()).as("a user without seats is forgotten").isZero();
    }

    @Test
    void aPastDuePoolCannotBeAnsweredFromMemoryUnlessAnotherSeatEntitles() {
        holdings.poolStatus("late", "past_due");
        holdings.poolStatus("paid", "active");
        holdings.claimed("late", "s1", "bo");
        assertThat(holdings.answer("bo")).isEqualTo(Holdings.UNKNOWN);

        holdings.claimed("paid", "s2", "bo");
        assertThat(holdings.answer("bo")).isEqualTo(Holdings.ENTITLED);

        holdings.poolStatus("paid", "suspended");
        assertThat(holdings.answer("bo")).isEqualTo(Holdings.UNKNOWN);
        holdings.poolStatus("late", "canceled");
        assertThat(holdings.answer("bo")).isEqualTo(Holdings.NOT_ENTITLED);
    }

    @Test
    void messagesAppliedTwiceOrAboutUnknownSeatsChangeNothing() {
        holdings.poolStatus("p", "active");
        holdings.claimed("p", "s1", "cy");
        holdings.claimed("p", "s1", "cy");
        holdings.claimed("p", "s2", "cy");
        holdings.ended("never-held");
        holdings.ended("s1");
        holdings.ended("s1");

        assertThat(holdings.answer("cy")).as("s2 still entitles").isEqualTo(Holdings.ENTITLED);
        holdings.ended("s2");
        assertThat(holdings.answer("cy")).isEqualTo(Holdings.NOT_ENTITLED);
    }

    @Test
    void aSeatClaimedBySomeoneElseLeavesItsFormerHolder() {
        holdings.poolStatus("p", "active");
        holdings.claimed("p", "s1", "di");
        holdings.claimed("p", "s1", "ed");

        assertThat(holdings.answer("di")).isEqualTo(Holdings.NOT_ENTITLED);
        assertThat(holdings.answer("ed")).isEqualTo(Holdings.ENTITLED);
    }

    @Test
    void beyondTheBoundNewHoldersAreNotKeptAndUnknownUsersBecomeUnknown() {
        Holdings small = new Holdings(1);
        small.poolStatus("p", "active");
        small.claimed("p", "s1", "fay");
        assertThat(small.answer("stranger")).isEqualTo(Holdings.NOT_ENTITLED);

        small.claimed("p", "s2", "gus");
        small.claimed("p", "s3", "fay");

        assertThat(small.overflowed()).isTrue();
        assertThat(small.users()).isEqualTo(1);
        assertThat(small.answer("gus")).isEqualTo(Holdings.UNKNOWN);
        assertThat(small.answer("stranger")).isEqualTo(Holdings.UNKNOWN);
        assertThat(small.answer("fay")).as("a kept user still gets new seats").isEqualTo(Holdings.ENTITLED);
        small.ended("s2");
        assertThat(small.answer("fay")).isEqualTo(Holdings.ENTITLED);
    }
}
