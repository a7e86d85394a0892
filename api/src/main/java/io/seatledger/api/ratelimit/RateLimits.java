package io.seatledger.api.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.api.http.ProblemResponses;
import io.seatledger.api.security.Caller;
import io.seatledger.api.security.CallerAuthentication;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.TryAgainLater;
import io.seatledger.readmodel.CounterKeys;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rate limits of API requests ({@link TokenBuckets}): an authenticated request spends a token of its tenant's
 * bucket, one for the API and a larger one for entitlement checks; a request without a token (the public routes)
 * spends one of its client address's ({@link AddressLimits}). Work proportional to a request's size is charged
 * once the body is read ({@link #chargeBulk}). Over the limit: 429 {@code RATE_LIMITED} with {@code Retry-After}.
 */
@Component
@Order(-10)
public class RateLimits implements WebFilter {

    private static final Pattern ENTITLEMENT_PATHS = Pattern.compile("^/api/v1/(orgs/[^/]+/entitlements/[^/]+|me/entitlements)$");
    /** The embedded default's dev token issuer: whoever reaches it may mint any token anyway. */
    private static final String DEV_TOKENS = "/api/v1/dev/tokens";
    /**
     * Stripe's webhook is authenticated by its signature (not guessable) and arrives from Stripe's few shared
     * addresses for every tenant at once: a per-address limit there would let one tenant's burst delay the others'.
     */
    private static final String STRIPE_WEBHOOK = "/api/v1/billing/stripe/webhook";

    private final TokenBuckets buckets;
    private final AddressLimits addresses;
    private final RateLimitProperties limits;
    private final ProblemResponses problems;
    private final MeterRegistry meters;

    public RateLimits(TokenBuckets buckets, AddressLimits addresses, RateLimitProperties limits, ProblemResponses problems, MeterRegistry meters) {
        this.buckets = buckets;
        this.addresses = addresses;
        this.limits = limits;
        this.problems = problems;
        this.meters = meters;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!limits.enabled() || !path.startsWith("/api/v1/") || path.equals(DEV_TOKENS) || path.equals(STRIPE_WEBHOOK)) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal()
                .filter(CallerAuthentication.class::isInstance)
                .map(principal -> Optional.of(((CallerAuthentication) principal).caller().accountable()))
                .defaultIfEmpty(Optional.empty())
                .flatMap(tenant -> tenant.isEmpty() ? addresses.spend(exchange, () -> chain.filter(exchange)) : limit(exchange, chain, tenant.get()));
    }

    private Mono<Void> limit(ServerWebExchange exchange, WebFilterChain chain, String tenant) {
        boolean entitlement = ENTITLEMENT_PATHS.matcher(exchange.getRequest().getPath().value()).matches();
        return spendOne(tenant, entitlement).flatMap(wait -> wait.isZero() ? chain.filter(exchange) : problems.rateLimited(exchange, wait));
    }

    /**
     * Spends one request of {@code tenant}'s entitlement-check or API bucket: zero when it was there, else how long until
     * one is back (counted as rate limited). The filter and the fast read path both spend here.
     */
    public Mono<Duration> spendOne(String tenant, boolean entitlementCheck) {
        if (!limits.enabled()) {
            return Mono.just(Duration.ZERO);
        }
        String bucket = entitlementCheck ? "entitlements" : "api";
        RateLimitProperties.Limit limit = entitlementCheck ? limits.entitlementsFor(tenant) : limits.apiFor(tenant);
        return buckets.takeOne(CounterKeys.rateLimit(tenant, bucket), limit).doOnNext(wait -> {
            if (!wait.isZero()) {
                meters.counter("seatledger.http.rate.limited", "bucket", bucket).increment();
            }
        });
    }

    /**
     * Charges the rest of a bulk assignment's cost ({@link RateLimitProperties#bulkCost}; the request itself already
     * spent one token) to the caller's API bucket; fails with {@link TryAgainLater} (429) when the bucket does not hold it.
     */
    public Mono<Void> chargeBulk(Caller caller, int seats) {
        if (!limits.enabled()) {
            return Mono.empty();
        }
        String tenant = caller.accountable();
        RateLimitProperties.Limit limit = limits.apiFor(tenant);
        int rest = limits.bulkCost(seats, limit) - 1;
        if (rest <= 0) {
            return Mono.empty();
        }
        return buckets.take(CounterKeys.rateLimit(tenant, "api"), limit, rest).flatMap(wait -> {
            if (wait.isZero()) {
                return Mono.empty();
            }
            meters.counter("seatledger.http.rate.limited", "bucket", "bulk").increment();
            return Mono.error(new TryAgainLater(ErrorCode.RATE_LIMITED, "a bulk of " + seats + " seats costs " + (rest + 1) + " requests of the rate limit", wait));
        });
    }
}
