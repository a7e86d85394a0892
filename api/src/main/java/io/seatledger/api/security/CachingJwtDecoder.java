package io.seatledger.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers tokens it has verified, until they expire (at most {@link #LONGEST}): a client sends the same
 * bearer token with every request, and parsing plus a signature check per request was a large share of an
 * entitlement check. Only successfully verified tokens are remembered, keyed by the whole token, at most
 * {@link #CAPACITY} of them. The fast read path ({@code io.seatledger.api.fastpath}) answers only callers whose token is
 * remembered here ({@link #rememberedCaller}): it verifies nothing itself.
 */
public class CachingJwtDecoder implements ReactiveJwtDecoder {

    static final int CAPACITY = 10_000;
    static final Duration LONGEST = Duration.ofMinutes(5);

    private final ReactiveJwtDecoder verifying;
    private final Clock clock;
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(CAPACITY).build();

    public CachingJwtDecoder(ReactiveJwtDecoder verifying, Clock clock) {
        this.verifying = verifying;
        this.clock = clock;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Instant now = clock.instant();
        Verified known = verified.getIfPresent(token);
        if (known != null && now.isBefore(known.until())) {
            return Mono.just(known.jwt());
        }
        return verifying.decode(token).doOnNext(jwt -> {
            Instant until = now.plus(LONGEST);
            if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isBefore(until)) {
                until = jwt.getExpiresAt();
            }
            verified.put(token, new Verified(jwt, Caller.of(jwt), until));
        });
    }

    /** The caller of a token this decoder verified and that has not expired since; null for any other token. */
    public Caller rememberedCaller(String token) {
        Verified known = verified.getIfPresent(token);
        return known != null && clock.instant().isBefore(known.until()) ? known.caller() : null;
    }

    private record Verified(Jwt jwt, Caller caller, Instant until) {
    }
}
