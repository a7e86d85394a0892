package io.seatledger.api.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.api.http.ProblemResponses;
import io.seatledger.api.security.AnonymousRequests;
import io.seatledger.readmodel.CounterKeys;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * A token bucket per client address ({@code seatledger.rate-limit.anonymous}) for what no tenant answers for:
 * requests without a token on the public routes and failed authentications. The address is the request's remote
 * address; it comes from {@code X-Forwarded-For}/{@code Forwarded} only when {@code server.forward-headers-strategy}
 * trusts them. An IPv6 client is limited by its /64 network, the block one subscriber usually holds.
 */
@Component
public class AddressLimits implements AnonymousRequests {

    static final String BUCKET = "anonymous";

    private final TokenBuckets buckets;
    private final RateLimitProperties limits;
    private final ProblemResponses problems;
    private final MeterRegistry meters;

    public AddressLimits(TokenBuckets buckets, RateLimitProperties limits, ProblemResponses problems, MeterRegistry meters) {
        this.buckets = buckets;
        this.limits = limits;
        this.problems = problems;
        this.meters = meters;
    }

    /** Spends a token of the client's address: {@code answer} when there was one, else 429. */
    @Override
    public Mono<Void> spend(ServerWebExchange exchange, Supplier<Mono<Void>> answer) {
        if (!limits.enabled()) {
            return answer.get();
        }
        return buckets.takeOne(CounterKeys.rateLimit("address:" + client(exchange.getRequest()), BUCKET), limits.anonymous())
                .flatMap(wait -> {
                    if (wait.isZero()) {
                        return answer.get();
                    }
                    meters.counter("seatledger.http.rate.limited", "bucket", BUCKET).increment();
                    return problems.rateLimited(exchange, wait);
                });
    }

    static String client(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress address = remote == null ? null : remote.getAddress();
        if (address == null) {
            return remote == null ? "unknown" : remote.getHostString();
        }
        if (address instanceof Inet6Address) {
            byte[] network = address.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((network[i] & 0xff) << 8) | (network[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address.getHostAddress();
    }
}
