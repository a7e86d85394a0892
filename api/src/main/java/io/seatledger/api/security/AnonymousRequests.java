package io.seatledger.api.security;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.function.Supplier;

/**
 * What a request without a valid token costs its client address: its {@code answer} while the address may go on, a
 * refusal once it has spent its allowance. Implemented by the rate limits; security only asks, so that guessing tokens
 * is limited like every other request without one.
 */
public interface AnonymousRequests {

    Mono<Void> spend(ServerWebExchange exchange, Supplier<Mono<Void>> answer);
}
