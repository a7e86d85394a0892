package io.seatledger.api.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

import java.util.List;
import java.util.Map;

/**
 * An authenticated request's bearer token, with its {@link Caller} resolved once: handlers take the caller as
 * {@code @AuthenticationPrincipal Caller}, filters from {@link #caller()}; nothing else reads the token's claims.
 */
public final class CallerAuthentication extends AbstractOAuth2TokenAuthenticationToken<Jwt> {

    private final Caller caller;

    public CallerAuthentication(Jwt jwt) {
        this(jwt, Caller.of(jwt));
    }

    private CallerAuthentication(Jwt jwt, Caller caller) {
        super(jwt, caller, jwt, List.of());
        this.caller = caller;
        setAuthenticated(true);
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public Map<String, Object> getTokenAttributes() {
        return getToken().getClaims();
    }

    @Override
    public String getName() {
        return caller.userId();
    }
}
