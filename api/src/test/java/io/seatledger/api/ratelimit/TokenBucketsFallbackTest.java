package io.seatledger.api.ratelimit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis unreachable (a port nothing listens on), limits still hold: this instance answers from buckets of
 * its own with the same rates, and says so in a gauge.
 */
class TokenBucketsFallbackTest {

    private LettuceConnectionFactory unreachable;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TokenBuckets buckets;

    @BeforeEach
    void pointAtAClosedPort() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        unreachable = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", closedPort));
        unreachable.afterPropertiesSet();
        unreachable.start();
        buckets = new TokenBuckets(new ReactiveStringRedisTemplate(unreachable), meters);
    }

    @AfterEach
    void close() {
        unreachable.destroy();
    }

    @Test
    void overLimitRequestsAreRefusedLocallyWhenRedisIsDown() {
        RateLimitProperties.Limit threePerBurst = new RateLimitProperties.Limit(0.01, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.takeOne("tenant-a", threePerBurst).block()).as("request %d", i + 1).isZero();
        }
        Duration refused = buckets.takeOne("tenant-a", threePerBurst).block();
        assertThat(refused).as("the fourth waits for a token: 100 s at 0.01/s").isBetween(Duration.ofSeconds(90), Duration.ofSeconds(101));
        assertThat(buckets.takeOne("tenant-b", threePerBurst).block()).as("another tenant has its own bucket").isZero();

        assertThat(buckets.fallingBack()).isTrue();
        assertThat(meters.get("seatledger.http.rate.limit.fallback").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("seatledger.http.rate.limit.local").counter().count()).isEqualTo(5.0);
    }

    @Test
    void aCostOfSeveralTokensIsTakenWholeOrNotAtAll() {
        RateLimitProperties.Limit fivePerBurst = new RateLimitProperties.Limit(0.01, 5);
        assertThat(buckets.take("bulk", fivePerBurst, 3).block()).isZero();
        assertThat(buckets.take("bulk", fivePerBurst, 3).block()).as("two left, three wanted").isPositive();
        assertThat(buckets.take("bulk", fivePerBurst, 2).block()).as("the refused cost took nothing").isZero();
    }
}
