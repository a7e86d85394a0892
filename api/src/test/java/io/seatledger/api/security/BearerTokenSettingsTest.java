package io.seatledger.api.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The token settings that would open the service stop it from starting; the safe ones start. */
class BearerTokenSettingsTest {

    private static final String ISSUER = "https://login.example.com/realms/acme";

    private final BearerTokenSettings settings = new BearerTokenSettings();

    @Test
    void devTokensAreOffUnlessAskedFor() {
        assertThat(BearerTokenSettings.devTokens(new MockEnvironment())).isFalse();
        assertThat(BearerTokenSettings.devTokens(new MockEnvironment().withProperty(BearerTokenSettings.DEV_TOKENS, "true"))).isTrue();
    }

    @Test
    void devTokensBesideAnIdentityProviderAreRefused() {
        for (String provider : new String[]{BearerTokenSettings.ISSUER_URI, BearerTokenSettings.JWK_SET_URI, BearerTokenSettings.PUBLIC_KEY}) {
            MockEnvironment environment = new MockEnvironment().withProperty(BearerTokenSettings.DEV_TOKENS, "true")
                    .withProperty(provider, ISSUER).withProperty(BearerTokenSettings.AUDIENCES, "seat-ledger");
            assertThatThrownBy(() -> settings.postProcessEnvironment(environment, new SpringApplication())).as(provider)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("Refusing to start").hasMessageContaining("beside an identity provider");
        }
    }

    @Test
    void devTokensWithAnExternalDatabaseAreRefused() {
        MockEnvironment external = new MockEnvironment().withProperty(BearerTokenSettings.DEV_TOKENS, "true")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal/seats");
        assertThatThrownBy(() -> settings.postProcessEnvironment(external, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("external database");
        MockEnvironment embeddedOff = new MockEnvironment().withProperty(BearerTokenSettings.DEV_TOKENS, "true")
                .withProperty("seatledger.embedded.enabled", "false");
        assertThatThrownBy(() -> settings.postProcessEnvironment(embeddedOff, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("external database");
    }

    @Test
    void devTokensListenOnThisMachineOnly() {
        MockEnvironment defaulted = new MockEnvironment().withProperty(BearerTokenSettings.DEV_TOKENS, "true");
        settings.postProcessEnvironment(defaulted, new SpringApplication());
        assertThat(defaulted.getProperty("server.address")).isEqualTo("127.0.0.1");
        MockEnvironment loopback = new MockEnvironment().withProperty(BearerTokenSettings.DEV_TOKENS, "true").withProperty("server.address", "::1");
        assertThatNoException().isThrownBy(() -> settings.postProcessEnvironment(loopback, new SpringApplication()));
        for (String everywhere : new String[]{"0.0.0.0", "::", "203.0.113.7"}) {
            MockEnvironment exposed = new MockEnvironment().withProperty(BearerTokenSettings.DEV_TOKENS, "true").withProperty("server.address", everywhere);
            assertThatThrownBy(() -> settings.postProcessEnvironment(exposed, new SpringApplication())).as(everywhere)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("server.address");
        }
        MockEnvironment production = new MockEnvironment();
        settings.postProcessEnvironment(production, new SpringApplication());
        assertThat(production.getProperty("server.address")).as("without dev tokens nothing is bound for you").isNull();
    }

    @Test
    void anIdentityProviderNeedsTheAudiencesOfThisService() {
        MockEnvironment withoutAudiences = new MockEnvironment().withProperty(BearerTokenSettings.ISSUER_URI, ISSUER)
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal/seats");
        assertThatThrownBy(() -> settings.postProcessEnvironment(withoutAudiences, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(BearerTokenSettings.AUDIENCES);
        MockEnvironment blankAudiences = new MockEnvironment().withProperty(BearerTokenSettings.JWK_SET_URI, ISSUER + "/certs")
                .withProperty(BearerTokenSettings.AUDIENCES, "");
        assertThatThrownBy(() -> settings.postProcessEnvironment(blankAudiences, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(BearerTokenSettings.AUDIENCES);
    }

    @Test
    void safeSettingsStart() {
        assertThatNoException().isThrownBy(() -> settings.postProcessEnvironment(new MockEnvironment(), new SpringApplication()));
        assertThatNoException().isThrownBy(() -> settings.postProcessEnvironment(
                new MockEnvironment().withProperty(BearerTokenSettings.DEV_TOKENS, "true"), new SpringApplication()));
        assertThatNoException().isThrownBy(() -> settings.postProcessEnvironment(new MockEnvironment()
                .withProperty(BearerTokenSettings.ISSUER_URI, ISSUER).withProperty(BearerTokenSettings.AUDIENCES, "seat-ledger,seat-ledger-admin")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal/seats"), new SpringApplication()));
    }
}
