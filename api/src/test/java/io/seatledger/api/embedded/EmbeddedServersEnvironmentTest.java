package io.seatledger.api.embedded;

import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedServersEnvironmentTest {

    private final EmbeddedServersEnvironment embedded = new EmbeddedServersEnvironment(destination -> new NoOpLog());

    @Test
    void anExternalDatabaseTurnsTheEmbeddedServersOff() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db.internal/seats");
        embedded.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().contains(EmbeddedServersEnvironment.PROPERTY_SOURCE)).isFalse();
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db.internal/seats");
    }

    @Test
    void startingCleanIsRefusedForTheRealDataDirectory() {
        MockEnvironment environment = new MockEnvironment().withProperty("seatledger.embedded.start-clean", "true");
        assertThatThrownBy(() -> embedded.postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused for the default ./data");
        assertThat(environment.getPropertySources().contains(EmbeddedServersEnvironment.PROPERTY_SOURCE)).isFalse();
    }
}
