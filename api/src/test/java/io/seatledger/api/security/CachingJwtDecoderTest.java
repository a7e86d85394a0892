package io.seatledger.api.security;

import io.seatledger.command.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A verified token is remembered until it expires (at most five minutes); a refused one never is. */
class CachingJwtDecoderTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private final TestClock clock = new TestClock(START);
    private final AtomicInteger verifications = new AtomicInteger();

    @Test
    void aVerifiedTokenIsRememberedUntilItExpiresAtTheLatest() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(token -> {
            verifications.incrementAndGet();
            return Mono.just(jwt(token, clock.instant().plusSeconds(60)));
        }, clock);
        decoder.decode("short-lived").block();
        decoder.decode("short-lived").block();
        assertThat(verifications).hasValue(1);
        clock.set(START.plusSeconds(61));
        decoder.decode("short-lived").block();
        assertThat(verifications).as("verified again once its exp passed").hasValue(2);
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterFiveMinutes() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(token -> {
            verifications.incrementAndGet();
            return Mono.just(jwt(token, clock.instant().plus(Duration.ofHours(12))));
        }, clock);
        decoder.decode("long-lived").block();
        clock.set(START.plus(CachingJwtDecoder.LONGEST).minusSeconds(1));
        decoder.decode("long-lived").block();
        assertThat(verifications).hasValue(1);
        clock.set(START.plus(CachingJwtDecoder.LONGEST).plusSeconds(1));
        decoder.decode("long-lived").block();
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(token -> {
            verifications.incrementAndGet();
            return Mono.error(new BadJwtException("bad signature"));
        }, clock);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> decoder.decode("forged").block()).isInstanceOf(BadJwtException.class);
        }
        assertThat(verifications).hasValue(3);
    }

    private static Jwt jwt(String token, Instant expiresAt) {
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("ann").issuedAt(expiresAt.minusSeconds(120)).expiresAt(expiresAt).build();
    }
}
