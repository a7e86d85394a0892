package io.seatledger.api.support;

import io.seatledger.api.SeatLedgerApplication;
import io.seatledger.command.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import io.seatledger.billing.testing.FakeStripe;

/**
 * Every integration test extends this one, so they all share one Spring context and one embedded
 * PostgreSQL and Redis (real servers, no mocks), and one local fake of the Stripe API.
 */
@SpringBootTest(classes = SeatLedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import({IntegrationTest.TestClockConfiguration.class, DatabaseOwner.Configuration.class, TransactionProbe.Configuration.class, LogProbe.Configuration.class,
        Spans.Configuration.class})
public abstract class IntegrationTest {

    /** The Stripe the service talks to in every test: a stateful fake speaking Stripe's wire format. */
    protected static final FakeStripe STRIPE = new FakeStripe();

    @Autowired
    protected TestClock clock;

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("seatledger.billing.stripe.api-base", STRIPE::apiBase);
        registry.add("seatledger.billing.stripe.api-key", () -> FakeStripe.API_KEY);
        registry.add("seatledger.billing.stripe.webhook-secret", () -> FakeStripe.WEBHOOK_SECRET);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClockConfiguration {
        @Bean
        TestClock clock() {
            return TestClock.realTime();
        }
    }
}
