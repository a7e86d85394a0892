package io.seatledger.billing.webhook;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Receives Stripe's webhook calls: checks the signature and its age, then records the event id once
 * ({@code billing.webhook_events}' primary key) and answers. Applying it is the {@link WebhookProcessor}'s
 * job, after the answer, so Stripe never waits on us and a redelivery is recognised before any work.
 */
public class WebhookInbox {

    /** The event types that say something about a pool; any other is recorded as ignored. */
    static final Set<String> APPLIED_TYPES = Set.of(
            "checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed",
            "checkout.session.expired",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed",
            "invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed",
            "charge.refunded", "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed");

    public enum Receipt { ACCEPTED, DUPLICATE, IGNORED }

    public static class InvalidSignature extends RuntimeException {
        InvalidSignature(String message) {
            super(message);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final String secret;
    private final Duration tolerance;
    private final Clock clock;
    private final MeterRegistry meters;

    public WebhookInbox(JdbcTemplate jdbc, String secret, Duration tolerance, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.secret = secret;
        this.tolerance = tolerance;
        this.clock = clock;
        this.meters = meters;
    }

    public Receipt receive(String payload, String signature) {
        verify(payload, signature);
        JsonNode event = JSON.readTree(payload);
        String id = event.path("id").asString(null);
        String type = event.path("type").asString(null);
        if (id == null || type == null || !event.path("data").path("object").isObject()) {
            count("unknown", "malformed");
            throw new InvalidSignature("the signed body is not a Stripe event");
        }
        boolean applied = APPLIED_TYPES.contains(type);
        Timestamp now = Timestamp.from(clock.instant());
        int inserted = jdbc.update("""
                insert into billing.webhook_events (event_id, type, object_id, received_at, due_at, processed_at, outcome)
                values (?, ?, ?, ?, ?, ?, ?) on conflict (event_id) do nothing""",
                id, type, objectIdOf(type, event.path("data").path("object")), now, now, applied ? null : now, applied ? null : "ignored");
        Receipt receipt = inserted == 0 ? Receipt.DUPLICATE : applied ? Receipt.ACCEPTED : Receipt.IGNORED;
        count(type, receipt.name().toLowerCase());
        return receipt;
    }

    private void verify(String payload, String signature) {
        if (signature == null || signature.isBlank()) {
            count("unknown", "bad_signature");
            throw new InvalidSignature("the Stripe-Signature header is missing");
        }
        try {
            Webhook.Signature.verifyHeader(payload, signature, secret, tolerance.toSeconds(), clock);
        } catch (SignatureVerificationException e) {
            count("unknown", "bad_signature");
            throw new InvalidSignature("the Stripe-Signature does not match the body or is too old");
        }
    }

    /** The object the event is about, to be read again from Stripe: a checkout session, a subscription, a charge or a dispute. */
    private static String objectIdOf(String type, JsonNode object) {
        if (type.startsWith("invoice.")) {
            String subscription = object.path("parent").path("subscription_details").path("subscription").asString(null);
            return subscription != null ? subscription : object.path("subscription").asString(null);
        }
        return object.path("id").asString(null);
    }

    void count(String type, String outcome) {
        Counter.builder("seatledger.billing.webhooks").description("Stripe webhook deliveries and their outcomes")
                .tags("type", APPLIED_TYPES.contains(type) ? type : "other", "outcome", outcome).register(meters).increment();
    }
}
