package io.seatledger.api.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens leased from the shared bucket are spent once each, per bucket, and lapse after a second. */
class TokenLeasesTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final TokenLeases leases = new TokenLeases(now::get);

    @Test
    void leasedTokensAreSpentOnceEachAndOnlyByTheirBucket() {
        assertThat(leases.trySpend("org-a:api")).isFalse();
        leases.keep("org-a:api", 2);

        assertThat(leases.trySpend("org-b:api")).isFalse();
        assertThat(leases.trySpend("org-a:entitlements")).isFalse();
        assertThat(leases.trySpend("org-a:api")).isTrue();
        assertThat(leases.trySpend("org-a:api")).isTrue();
        assertThat(leases.trySpend("org-a:api")).isFalse();
    }

    @Test
    void aLapsedLeaseIsDroppedThoughItsBucketIsNeverAskedAgain() {
        leases.keep("org-a:api", 5);
        leases.keep("org-b:api", 5);
        assertThat(leases.held()).isEqualTo(2);

        now.addAndGet(TokenLeases.LIFETIME.toNanos() + 1);

        assertThat(leases.held()).isZero();
    }

    @Test
    void unspentTokensLapseAfterTheirLifetime() {
        leases.keep("org-a:api", 5);
        assertThat(leases.trySpend("org-a:api")).isTrue();

        now.addAndGet(TokenLeases.LIFETIME.toNanos() + 1);

        assertThat(leases.trySpend("org-a:api")).isFalse();
        leases.keep("org-a:api", 1);
        assertThat(leases.trySpend("org-a:api")).as("a new lease after the lapse").isTrue();
        assertThat(leases.trySpend("org-a:api")).isFalse();
    }

    @Test
    void smallRatesLeaseOneTokenAtATimeAndLargeOnesAFiftiethOfASecondsWorth() {
        assertThat(new RateLimitProperties.Limit(1.0, 3).leaseSize()).isEqualTo(1);
        assertThat(new RateLimitProperties.Limit(100.0, 200).leaseSize()).isEqualTo(2);
        assertThat(new RateLimitProperties.Limit(2_000.0, 4_000).leaseSize()).isEqualTo(40);
        assertThat(new RateLimitProperties.Limit(2_000.0, 10).leaseSize()).as("never more than the burst").isEqualTo(10);
        assertThat(new RateLimitProperties.Limit(1e9, 1_000_000_000).leaseSize()).isEqualTo(1_000);
    }
}
