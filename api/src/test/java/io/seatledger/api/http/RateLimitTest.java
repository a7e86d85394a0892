package io.seatledger.api.http;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.readmodel.CounterKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token buckets per organization (the test profile gives organization {@value #LIMITED} 3 requests of burst
 * and 1 per second, and 6/2 for entitlement checks): over the limit answers 429 with Retry-After; other
 * tenants are not affected; entitlement checks draw on their own, larger bucket.
 */
class RateLimitTest extends ApiTest {

    static final String LIMITED = "rate-limited-org";

    @Autowired
    StringRedisTemplate redis;

    @Test
    void aTenantOverItsLimitIsToldWhenToRetryWhileOthersAreServed() {
        WebTestClient limited = api.as("busy", LIMITED, "busy@example.com");
        List<Integer> statuses = new ArrayList<>();
        WebTestClient.ResponseSpec refused = null;
        for (int i = 0; i < 6; i++) {
            WebTestClient.ResponseSpec response = limited.get().uri("/api/v1/orgs/{org}/usage", LIMITED).exchange();
            int status = response.returnResult(String.class).getStatus().value();
            statuses.add(status);
            if (status == 429 && refused == null) {
                refused = limited.get().uri("/api/v1/orgs/{org}/usage", LIMITED).exchange();
            }
        }
        assertThat(statuses).contains(200).contains(429);
        Api.problem(refused.expectHeader().exists("Retry-After"), 429, "RATE_LIMITED");

        manager.get().uri("/api/v1/orgs/{org}/usage", orgId).exchange().expectStatus().isOk();

        int entitled = 0;
        for (int i = 0; i < 5; i++) {
            if (limited.get().uri("/api/v1/orgs/{org}/entitlements/someone", LIMITED).exchange().returnResult(String.class).getStatus().value() == 200) {
                entitled++;
            }
        }
        assertThat(entitled).as("entitlement checks have a bucket of their own").isGreaterThanOrEqualTo(5);
    }

    @Test
    void tokensAreTakenFromTheSharedBucketInLeasesAndTheRestSpentWithoutAskingRedis() throws InterruptedException {
        // the default API limit, 100/s with a burst of 200, is leased 2 tokens at a time
        String org = "leasing-" + UUID.randomUUID();
        WebTestClient tenant = api.as("leaser", org, "leaser@example.com");
        String bucket = CounterKeys.rateLimit(org, "api");

        tenant.get().uri("/api/v1/orgs/{org}/usage", org).exchange();
        Object leasedAt = redis.opsForHash().get(bucket, "at");
        assertThat(leasedAt).as("the first request took a lease from the shared bucket").isNotNull();
        Thread.sleep(5);

        tenant.get().uri("/api/v1/orgs/{org}/usage", org).exchange();
        assertThat(redis.opsForHash().get(bucket, "at")).as("the second spent the lease's other token: Redis was not asked").isEqualTo(leasedAt);

        tenant.get().uri("/api/v1/orgs/{org}/usage", org).exchange();
        assertThat(redis.opsForHash().get(bucket, "at")).as("the third found the lease spent and took another").isNotEqualTo(leasedAt);
    }
}
