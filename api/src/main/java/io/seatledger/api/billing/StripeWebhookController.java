package io.seatledger.api.billing;

import io.seatledger.api.settings.BillingProperties;
import io.seatledger.api.http.ApiStatuses;
import io.seatledger.billing.webhook.WebhookInbox;
import io.seatledger.billing.webhook.WebhookProcessor;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Map;

/**
 * Stripe's webhook endpoint (no JWT: the {@code Stripe-Signature} authenticates the call). Answers as soon
 * as the event id is recorded; the event is applied right after, on another thread.
 */
@Tag(name = "Billing")
@RestController
public class StripeWebhookController {

    private final WebhookInbox inbox;
    private final WebhookProcessor processor;
    private final BillingProperties billing;

    public StripeWebhookController(WebhookInbox inbox, WebhookProcessor processor, BillingProperties billing) {
        this.inbox = inbox;
        this.processor = processor;
        this.billing = billing;
    }

    @Operation(operationId = "receiveStripeWebhook", summary = "Receive a Stripe webhook event (signed; no token)")
    @ApiStatuses(problems = ErrorCode.VALIDATION_FAILED)
    @SecurityRequirements
    @PostMapping("/api/v1/billing/stripe/webhook")
    public Mono<Map<String, Object>> receive(@RequestBody(required = false) String payload,
                                             @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        if (billing.stripe().webhookSecret() == null || billing.stripe().webhookSecret().isBlank()) {
            throw new SeatLedgerException(ErrorCode.UNAVAILABLE, "Stripe webhooks are not configured (seatledger.billing.stripe.webhook-secret)");
        }
        return Mono.fromCallable(() -> {
                    WebhookInbox.Receipt receipt = inbox.receive(payload == null ? "" : payload, signature);
                    if (receipt == WebhookInbox.Receipt.ACCEPTED) {
                        processor.wake();
                    }
                    return Map.<String, Object>of("received", true, "duplicate", receipt == WebhookInbox.Receipt.DUPLICATE);
                })
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(WebhookInbox.InvalidSignature.class, invalid -> new SeatLedgerException(ErrorCode.VALIDATION_FAILED, invalid.getMessage()));
    }
}
