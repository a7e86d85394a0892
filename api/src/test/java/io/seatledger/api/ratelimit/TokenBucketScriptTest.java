package io.seatledger.api.ratelimit;

import io.seatledger.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared bucket in Redis grants a lease of what it holds, up to the lease asked for, and then tells how long to
 * wait; a cost of several tokens is granted whole or not at all.
 */
class TokenBucketScriptTest extends IntegrationTest {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void aLeaseGetsWhatTheBucketHoldsUpToItsSize() {
        String key = "test:bucket:" + UUID.randomUUID();
        // five tokens, refilled at one per thousand seconds: none come back during the test
        assertThat(take(key, 3)).containsExactly(3L, 0L);
        assertThat(take(key, 3)).containsExactly(2L, 0L);
        List<Long> refused = take(key, 3);
        assertThat(refused.get(0)).isZero();
        assertThat(refused.get(1)).as("milliseconds until one token is back").isBetween(990_000L, 1_000_000L);
    }

    @Test
    void aCostIsTakenWholeOrNotAtAll() {
        String key = "test:bucket:" + UUID.randomUUID();
        assertThat(take(key, 3, 3)).containsExactly(3L, 0L);
        List<Long> refused = take(key, 3, 3);
        assertThat(refused.get(0)).as("two tokens are there, three are needed").isZero();
        assertThat(refused.get(1)).as("milliseconds until three are there").isBetween(990_000L, 1_000_000L);
        assertThat(take(key, 2, 2)).as("the refused cost took nothing").containsExactly(2L, 0L);
    }

    private List<Long> take(String key, int wanted) {
        return take(key, wanted, 1);
    }

    @SuppressWarnings("unchecked")
    private List<Long> take(String key, int wanted, int least) {
        return (List<Long>) redis.execute(TokenBuckets.TOKEN_BUCKET, List.of(key), "0.001", "5", String.valueOf(wanted), String.valueOf(least));
    }
}
