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

/**
 * Every integration test extends this one, so they all share one Spring context and one embedded
 * PostgreSQL and Redis (real servers, no mocks).
 */
@SpringBootTest(classes = SeatLedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import({IntegrationTest.TestClockConfiguration.class, TransactionProbe.Configuration.class})
public abstract class IntegrationTest {

    @Autowired
    protected TestClock clock;

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
