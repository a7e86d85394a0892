package io.seatledger.api.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A bulk's cost: a token per started {@code bulk-seats-per-token} seats, never more than a full bucket. */
class RateLimitPropertiesTest {

    private final RateLimitProperties defaults = new RateLimitProperties(null, null, null, null, null, Map.of());

    @Test
    void theLargestBulkFitsTheDefaultBucketTwice() {
        RateLimitProperties.Limit api = defaults.api();
        assertThat(defaults.bulkCost(1, api)).isEqualTo(1);
        assertThat(defaults.bulkCost(100, api)).isEqualTo(1);
        assertThat(defaults.bulkCost(101, api)).isEqualTo(2);
        assertThat(defaults.bulkCost(10_000, api)).as("the largest bulk (10,000 seats)").isEqualTo(100).isLessThanOrEqualTo(api.burst() / 2);
    }

    @Test
    void aBulkNeverCostsMoreThanAFullBucketSoItIsAlwaysPossible() {
        RateLimitProperties.Limit small = new RateLimitProperties.Limit(1.0, 5);
        assertThat(defaults.bulkCost(10_000, small)).isEqualTo(5);
    }
}
