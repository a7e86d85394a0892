package io.seatledger.api.security;

import io.seatledger.api.http.ProblemResponses;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.api.http.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;

import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Bearer JWTs on every path but the public ones (health, metrics, OpenAPI, invitation preview, Stripe's
 * webhook, the dev token issuer when it is on). Production validates tokens of a configured issuer
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}) for the configured
 * audiences; the embedded default, when asked to, validates the dev tokens it signs itself; with neither, no
 * token is trusted. {@link BearerTokenSettings} refuses combinations that would open the service. Failures
 * answer as problems (401/403); a failed authentication counts against its client address's rate limit
 * ({@link AnonymousRequests}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

    static final String ORGANIZATION_CLAIM = "org";
    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityWebFilterChain api(ServerHttpSecurity http, ProblemResponses problems, AnonymousRequests addresses) {
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
                        .pathMatchers(HttpMethod.GET, "/api/v1/invitations/*", "/api/v1/audit/keys").permitAll()
                        .pathMatchers(HttpMethod.POST, "/api/v1/dev/tokens", "/api/v1/billing/stripe/webhook").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(token -> Mono.just(new CallerAuthentication(token))))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, ErrorCode.FORBIDDEN, "not allowed")))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, ErrorCode.FORBIDDEN, "not allowed")))
                .build();
    }

    /** A request Spring Security's HTTP firewall refuses (non-ASCII or control bytes in a header, a malicious path) is a problem too. */
    @Bean
    ServerExchangeRejectedHandler firewallRejections(ProblemResponses problems) {
        return (exchange, rejected) -> problems.write(exchange, ErrorCode.VALIDATION_FAILED,
                "the request was refused: headers must be printable ASCII, paths must be normalized");
    }

    @Bean
    @ConditionalOnProperty(name = BearerTokenSettings.DEV_TOKENS, havingValue = "true")
    DevTokens devTokens(@Value("${seatledger.data-dir}") Path dataDirectory, Clock clock) {
        log.warn("""

                *************************************************************************************
                  DEV TOKENS ARE ON (seatledger.security.dev-tokens=true): any process on this machine
                  can mint a token for any user, organization and role at POST /api/v1/dev/tokens.
                  For development on the embedded default only; never expose this service.
                *************************************************************************************""");
        return DevTokens.inDirectory(dataDirectory, clock);
    }

    /** The embedded default with dev tokens trusts the tokens it signs itself, and no other. */
    @Bean
    @ConditionalOnProperty(name = BearerTokenSettings.DEV_TOKENS, havingValue = "true")
    ReactiveJwtDecoder devTokenDecoder(DevTokens devTokens, OAuth2TokenValidator<Jwt> tokenClaims) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(devTokens.publicKey()).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(DevTokens.ISSUER), tokenClaims));
        return decoder;
    }

    /**
     * With neither dev tokens nor an identity provider configured (the embedded default as it starts), no token
     * is trusted: every route that needs one answers 401, the public ones work.
     */
    @Bean
    @Conditional(NoTokenIssuer.class)
    ReactiveJwtDecoder noTokenIssuer() {
        log.warn("No bearer-token issuer is configured ({} or, for development on the embedded default, {}=true):"
                + " every request that needs a token is refused", BearerTokenSettings.ISSUER_URI, BearerTokenSettings.DEV_TOKENS);
        return token -> Mono.error(new BadJwtException("no token issuer is configured"));
    }

    /**
     * Tokens expire (a token without {@code exp} would hold a live stream for ever) and name their organization by a
     * well-formed id, or none; used by every decoder (Spring Boot adds it to the issuer's).
     */
    @Bean
    OAuth2TokenValidator<Jwt> tokenClaims() {
        OAuth2Error malformed = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "the org claim is not a well-formed organization id", null);
        OAuth2TokenValidator<Jwt> organization = jwt -> {
            Object org = jwt.getClaims().get(ORGANIZATION_CLAIM);
            return org == null || org instanceof String id && Ids.isOrganizationId(id)
                    ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(malformed);
        };
        return new DelegatingOAuth2TokenValidator<>(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull), organization);
    }

    static final class NoTokenIssuer implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !BearerTokenSettings.devTokens(context.getEnvironment()) && !BearerTokenSettings.identityProviderConfigured(context.getEnvironment());
        }
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
