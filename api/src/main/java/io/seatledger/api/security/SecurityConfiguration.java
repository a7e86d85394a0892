package io.seatledger.api.security;

import io.seatledger.api.http.ProblemResponses;
import io.seatledger.api.ratelimit.AddressLimits;
import io.seatledger.messages.common.ErrorCode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Bearer JWTs on every path but the public ones (health, metrics, OpenAPI, invitation preview, Stripe's
 * webhook, the embedded default's dev token issuer). Production validates tokens of a configured issuer
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}); the embedded
 * default validates the tokens it signs itself. Failures answer as problems (401/403); a failed authentication
 * counts against its client address's rate limit ({@link AddressLimits}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain api(ServerHttpSecurity http, ProblemResponses problems, AddressLimits addresses) {
        // a failed authentication spends a token of its client address: guessing tokens is rate limited
        ServerAuthenticationEntryPoint unauthenticated = (exchange, failure) -> addresses.spend(exchange,
                () -> problems.write(exchange, ErrorCode.UNAUTHENTICATED, "a valid bearer token is required"));
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .authorizeExchange(paths -> paths
                        .pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info").permitAll()
                        .pathMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .pathMatchers(HttpMethod.GET, "/api/v1/invitations/*").permitAll()
                        .pathMatchers(HttpMethod.POST, "/api/v1/dev/tokens", "/api/v1/billing/stripe/webhook").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> { })
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, ErrorCode.FORBIDDEN, "not allowed")))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, ErrorCode.FORBIDDEN, "not allowed")))
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "seatledger.security.dev-tokens", havingValue = "true")
    DevTokens devTokens(@Value("${seatledger.data-dir}") Path dataDirectory, Clock clock) {
        return DevTokens.inDirectory(dataDirectory, clock);
    }

    /** The embedded default trusts the tokens it signs itself, and no other. */
    @Bean
    @ConditionalOnProperty(name = "seatledger.security.dev-tokens", havingValue = "true")
    ReactiveJwtDecoder devTokenDecoder(DevTokens devTokens) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(devTokens.publicKey()).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(DevTokens.ISSUER));
        return decoder;
    }

    /** Whichever decoder verifies tokens (the dev key's, or the configured issuer's), verified tokens are remembered. */
    @Bean
    static BeanPostProcessor rememberVerifiedTokens(ObjectProvider<Clock> clock) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof ReactiveJwtDecoder decoder && !(bean instanceof CachingJwtDecoder)
                        ? new CachingJwtDecoder(decoder, clock.getObject()) : bean;
            }
        };
    }
}
