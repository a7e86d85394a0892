package io.seatledger.api.fastpath;

import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.api.consistency.ReadYourWrites;
import io.seatledger.api.http.ProblemResponses;
import io.seatledger.api.ratelimit.RateLimits;
import io.seatledger.api.security.CachingJwtDecoder;
import io.seatledger.query.entitlement.EntitlementReader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import tools.jackson.databind.json.JsonMapper;

import java.util.Objects;
import java.util.stream.Stream;

/**
 * Puts the {@link FastReadPath} in front of the WebFlux stack ({@value #ENABLED}, on by default). Liveness probes are
 * answered there only where the actuator itself answers them at {@value FastReadPath#LIVENESS_PATH}: on the service's
 * port, with probes on, and with a bare status ({@code {"status":"UP"}}: neither components nor details shown to anyone).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = FastReadPathConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
class FastReadPathConfiguration {

    static final String ENABLED = "seatledger.http.fast-reads";

    @Bean
    WebHttpHandlerBuilderCustomizer fastReadPath(ReactiveJwtDecoder decoder, RateLimits rateLimits, ReadYourWrites readYourWrites,
                                                 EntitlementReader entitlements,
                                                 ProblemResponses problems, JsonMapper json, ObjectProvider<HealthEndpoint> health,
                                                 MeterRegistry meters, ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
        if (!(decoder instanceof CachingJwtDecoder tokens)) {
            throw new IllegalStateException("the fast read path needs the decoder that remembers verified tokens, found " + decoder.getClass());
        }
        PathMappedEndpoints mapped = endpoints.getIfAvailable();
        boolean healthHere = mapped != null && (FastReadPath.LIVENESS_PATH).equals(mapped.getPath(EndpointId.of("health")) + "/liveness");
        HealthEndpoint liveness = healthHere && answersLivenessHere(environment) ? health.getIfAvailable() : null;
        return builder -> builder.httpHandlerDecorator(next -> new FastReadPath(next, tokens, rateLimits, readYourWrites, entitlements, problems, json, liveness, meters));
    }

    /**
     * On the service's own port, with probes on, a liveness group of the liveness state alone (nothing that could block
     * the I/O thread), showing neither components nor details to anyone.
     */
    private static boolean answersLivenessHere(Environment environment) {
        String managementPort = environment.getProperty("management.server.port");
        return (managementPort == null || Objects.equals(managementPort, environment.getProperty("server.port")))
                && environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class, false)
                && environment.getProperty("management.endpoint.health.group.liveness.include") == null
                && Stream.of("management.endpoint.health.show-components", "management.endpoint.health.show-details",
                        "management.endpoint.health.group.liveness.show-components", "management.endpoint.health.group.liveness.show-details")
                .allMatch(shown -> environment.getProperty(shown, "never").equalsIgnoreCase("never"));
    }
}

