package io.seatledger.api.security;

import io.seatledger.api.embedded.EmbeddedServersEnvironment;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start with bearer-token settings that would open the service: dev tokens (anyone on the machine
 * may mint any identity) beside a real identity provider, outside the embedded default or listening beyond this
 * machine, and an identity provider without the audiences its tokens must be meant for. With dev tokens the
 * service listens on loopback unless told otherwise. Runs before the embedded servers start, so a refused
 * configuration starts nothing.
 */
public class BearerTokenSettings implements EnvironmentPostProcessor, Ordered {

    static final String DEV_TOKENS = "seatledger.security.dev-tokens";
    static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";
    static final String JWK_SET_URI = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";
    static final String PUBLIC_KEY = "spring.security.oauth2.resourceserver.jwt.public-key-location";
    static final String AUDIENCES = "spring.security.oauth2.resourceserver.jwt.audiences";
    static final String SERVER_ADDRESS = "server.address";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start: " + String.join("; ", problems));
        }
        if (devTokens(environment) && !environment.containsProperty(SERVER_ADDRESS)) {
            // with dev tokens the service listens on this machine only, below every other source
            environment.getPropertySources().addLast(new MapPropertySource("seatledgerDevTokenDefaults", Map.of(SERVER_ADDRESS, "127.0.0.1")));
        }
    }

    static List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        boolean identityProvider = identityProviderConfigured(environment);
        if (devTokens(environment)) {
            if (identityProvider) {
                problems.add(DEV_TOKENS + "=true beside an identity provider (" + ISSUER_URI + ", " + JWK_SET_URI + " or " + PUBLIC_KEY
                        + "): dev tokens are for development on the embedded default only; remove " + DEV_TOKENS);
            }
            String address = environment.getProperty(SERVER_ADDRESS);
            if (address != null && !isLoopback(address)) {
                problems.add(DEV_TOKENS + "=true with " + SERVER_ADDRESS + "=" + address + ": with dev tokens the service listens on this machine"
                        + " only (a loopback address, the default then)");
            }
            if (!EmbeddedServersEnvironment.enabled(environment)) {
                problems.add(DEV_TOKENS + "=true with an external database (spring.datasource.url): dev tokens are for development on the"
                        + " embedded default only; configure an identity provider (" + ISSUER_URI + " and " + AUDIENCES + ") instead");
            }
        }
        if (identityProvider && environment.getProperty(AUDIENCES, String[].class, new String[0]).length == 0) {
            problems.add("an identity provider is configured without " + AUDIENCES
                    + ": tokens it issues for other applications would be accepted; list the audiences this service's tokens carry");
        }
        return problems;
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException unknown) {
            return false;
        }
    }

    static boolean devTokens(Environment environment) {
        return environment.getProperty(DEV_TOKENS, Boolean.class, false);
    }

    static boolean identityProviderConfigured(Environment environment) {
        return hasText(environment, ISSUER_URI) || hasText(environment, JWK_SET_URI) || hasText(environment, PUBLIC_KEY);
    }

    private static boolean hasText(Environment environment, String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }

    /** Before the embedded servers ({@link EmbeddedServersEnvironment}), after the application's own configuration is loaded. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}
