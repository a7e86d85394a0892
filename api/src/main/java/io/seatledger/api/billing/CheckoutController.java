package io.seatledger.api.billing;

import io.seatledger.api.settings.BillingProperties;
import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.api.consistency.Dispatch;
import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Problem.FieldError;
import io.seatledger.api.http.RequestValues;
import io.seatledger.api.security.Caller;
import io.seatledger.api.seatpool.SeatPoolRequests;
import io.seatledger.billing.stripe.StripeFailure;
import io.seatledger.billing.stripe.StripeGateway;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.PlainText;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.AttachCheckoutSession;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PurchaseSeatPool;
import io.seatledger.messages.seatpool.StripeSubscription;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Buying a pool through Stripe Checkout: the pool is recorded as awaiting payment (the billing manager's
 * authority is checked there), the session is opened in Stripe with the pool's ids in its metadata, and the
 * session is recorded on the pool. Each step is keyed by the pool, so a retry with the same Idempotency-Key
 * after a failure goes on where the first attempt stopped.
 */
@Tag(name = "Billing", description = "Buying through Stripe, Stripe's webhook and reconciliation with Stripe")
@RestController
@RequestMapping("/api/v1/orgs/{orgId}/checkout-sessions")
public class CheckoutController {

    public record CheckoutRequest(PoolKind kind, Integer seats, Pricing pricing, String priceId, BillingInterval interval, String successUrl,
                                  String cancelUrl) {
    }

    public record CheckoutSession(String checkoutSessionId, String url, String poolId) {
    }

    private record Priced(String priceId, Pricing pricing, BillingInterval interval) {
    }

    private final Dispatch dispatch;
    private final StripeGateway stripe;
    private final BillingProperties billing;
    private final int maxPoolSeats;

    public CheckoutController(Dispatch dispatch, StripeGateway stripe, BillingProperties billing,
                              SeatLedgerProperties properties) {
        this.dispatch = dispatch;
        this.stripe = stripe;
        this.billing = billing;
        this.maxPoolSeats = properties.seats().maxPoolSeats();
    }

    @Operation(operationId = "createCheckoutSession", summary = "Buy a seat pool through a Stripe Checkout session")
    @ApiStatuses(success = 201, problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND})
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<CheckoutSession>> checkout(@PathVariable String orgId, @RequestBody CheckoutRequest request,
                                                          @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        String tenant = caller.tenant(orgId);
        validate(request);
        if (!billing.stripe().configured()) {
            throw new SeatLedgerException(ErrorCode.UNAVAILABLE, "Stripe is not configured on this service (seatledger.billing.stripe.api-key)");
        }
        String poolId = RequestValues.newId(exchange, "pool");
        return blocking(() -> priced(request))
                .flatMap(priced -> dispatch.sendStep(new PurchaseSeatPool(poolId, tenant, request.kind(), request.seats(), priced.pricing(),
                                priced.interval(), new StripeSubscription(null, null, null, null)), caller, tenant, exchange, "purchase")
                        .then(blocking(() -> {
                            String priceId = priced.priceId() != null ? priced.priceId()
                                    : stripe.createPrice(priced.pricing(), request.kind(), priced.interval(), "Seats (pool " + poolId + ")",
                                    "seat-ledger:price:" + poolId);
                            return stripe.createCheckoutSession(tenant, poolId, request.kind(), priceId, request.seats(), request.successUrl(),
                                    request.cancelUrl(), "seat-ledger:checkout:" + poolId);
                        })))
                .flatMap(session -> dispatch.sendStep(new AttachCheckoutSession(poolId, tenant, session.getId()), caller, tenant, exchange, "checkout")
                        .thenReturn(new CheckoutSession(session.getId(), session.getUrl(), poolId)))
                .map(session -> ResponseEntity.created(URI.create("/api/v1/orgs/" + tenant + "/seat-pools/" + poolId)).body(session))
                .onErrorMap(StripeFailure.class, CheckoutController::asProblem);
    }

    private void validate(CheckoutRequest request) {
        if (request.priceId() == null) {
            new SeatPoolRequests.Purchase(request.kind(), request.seats(), request.pricing(), request.interval()).validate(maxPoolSeats);
        } else if (request.pricing() != null) {
            throw new InvalidRequest("pricing", "give either pricing or priceId, not both");
        } else if (request.seats() == null || request.seats() < 1 || request.seats() > maxPoolSeats) {
            throw new InvalidRequest("seats", "must be 1 to " + maxPoolSeats);
        } else if (request.kind() == null) {
            throw new InvalidRequest("kind", "is required: subscription or order");
        }
        List<FieldError> errors = new ArrayList<>();
        RequestValues.requirePlain(errors, "priceId", request.priceId());
        requireUrl(errors, "successUrl", request.successUrl());
        requireUrl(errors, "cancelUrl", request.cancelUrl());
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
    }

    private static void requireUrl(List<FieldError> errors, String field, String url) {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://")) || url.length() > 2048 || !PlainText.isPlain(url)) {
            errors.add(new FieldError(field, "must be an http(s) URL of at most 2048 characters, without control characters"));
        }
    }

    /** The pool's pricing: as given, or read from the Stripe price named. */
    private Priced priced(CheckoutRequest request) {
        if (request.priceId() == null) {
            return new Priced(null, request.pricing(), request.interval());
        }
        StripeGateway.StripePrice price = stripe.price(request.priceId());
        if ((request.kind() == PoolKind.SUBSCRIPTION) != (price.interval() != null)) {
            throw new InvalidRequest("priceId", request.kind() == PoolKind.SUBSCRIPTION ? "is not a recurring price" : "is a recurring price");
        }
        if (request.interval() != null && request.interval() != price.interval()) {
            throw new InvalidRequest("interval", "differs from the price's interval");
        }
        return new Priced(price.id(), price.pricing(), price.interval());
    }

    private static Throwable asProblem(StripeFailure failure) {
        if (failure.retryable()) {
            return new SeatLedgerException(ErrorCode.UNAVAILABLE, "Stripe is unavailable; retry with the same Idempotency-Key");
        }
        if (failure.notFound()) {
            return new InvalidRequest("priceId", "is not a price of this Stripe account");
        }
        return new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "Stripe refused the checkout (" + failure.code() + ")");
    }

    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
