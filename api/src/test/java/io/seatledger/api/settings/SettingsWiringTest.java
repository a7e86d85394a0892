package io.seatledger.api.settings;

import io.seatledger.api.consistency.ConsistencyProperties;
import io.seatledger.api.ratelimit.RateLimitProperties;
import io.seatledger.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The running service's settings: one tree bound from the test profile's values and the defaults, its parts handed
 * to the features that take them, and the configured intervals scheduled.
 */
class SettingsWiringTest extends IntegrationTest {

    @Autowired SeatLedgerProperties settings;
    @Autowired RateLimitProperties rateLimits;
    @Autowired ConsistencyProperties consistency;
    @Autowired BillingProperties billing;
    @Autowired WebhookProperties webhooks;
    @Autowired List<ScheduledTaskHolder> scheduling;

    @Test
    void oneTreeHoldsTheConfiguredValuesAndTheDefaults() {
        assertThat(settings.dataDir()).isEqualTo(Path.of("target/test-data"));
        assertThat(settings.publicBaseUrl()).isEqualTo("https://seats.example.test");
        assertThat(settings.stream().heartbeat()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.database().statementTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.writeModel().seatsHeld()).isEqualTo(120_000);
        assertThat(settings.timeTravel().queueCapacity()).isEqualTo(16);
        assertThat(settings.erasure().readModelPatience()).isEqualTo(Duration.ofSeconds(30));

        assertThat(rateLimits).isSameAs(settings.rateLimit());
        assertThat(rateLimits.apiFor("rate-limited-org").burst()).isEqualTo(3);
        assertThat(consistency).isSameAs(settings.consistency());
        assertThat(consistency.maxWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(billing).isSameAs(settings.billing());
        assertThat(billing.sync().attempts()).isEqualTo(3);
        assertThat(billing.stripe().apiBase()).isNotBlank();
        assertThat(webhooks).isSameAs(settings.webhooks());
        assertThat(webhooks.maxEndpointsPerOrganization()).isEqualTo(10);
    }

    @Test
    void theConfiguredIntervalsAreScheduled() {
        assertThat(scheduling.stream().flatMap(holder -> holder.getScheduledTasks().stream())
                .map(scheduled -> scheduled.getTask()).filter(FixedDelayTask.class::isInstance).map(FixedDelayTask.class::cast))
                .extracting(FixedDelayTask::getIntervalDuration, FixedDelayTask::getInitialDelayDuration)
                .contains(tuple(settings.redis().completenessCheckInterval(), Duration.ZERO),
                        tuple(settings.projections().deadLetterRetryInterval(), Duration.ZERO),
                        tuple(settings.http().idempotencyCleanupInterval(), Duration.ZERO),
                        tuple(settings.erasure().pendingCheckInterval(), Duration.ofMinutes(1)));
    }
}
