package io.seatledger.api.webhook;

import io.seatledger.api.settings.WebhookProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.api.observability.MessageTraces;
import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.messages.seatpool.SeatAssigned;
import io.seatledger.messages.seatpool.SeatClaimed;
import io.seatledger.messages.seatpool.SeatExpired;
import io.seatledger.messages.seatpool.SeatRevoked;
import io.seatledger.messages.seatpool.SeatTransferred;
import io.seatledger.projections.EventPosition;
import io.seatledger.query.feed.ChangeFeed;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the deliveries of each live-feed event to the organization's enabled endpoints that subscribe to it (and the
 * {@code usage.threshold} message that may follow it), in the processor's transaction. A replay makes none (what a
 * replay sees was delivered, or given up, when it first happened; the handler looks at the {@link ReplayStatus} rather
 * than being {@code @DisallowReplay}, with which Axon would refuse to reset the processor at all), and an endpoint
 * gets only events stored after it was registered, so a first run from the start of the store delivers no history
 * either. Sequenced by organization, so an organization's deliveries are recorded in the order of its events. Each
 * delivery keeps the event's trace, which its attempts continue. An endpoint whose backlog is full
 * ({@code max-pending-per-endpoint}) gets no new deliveries: the events are counted as skipped, on the endpoint (for
 * its owner) and in {@code seatledger.webhook.events.skipped} (for operators).
 */
@ProcessingGroup(WebhookEvents.PROCESSOR)
public class WebhookEvents {

    public static final String PROCESSOR = "webhooks";
    private static final String ENABLED_IN_BATCH = WebhookEvents.class.getName() + ".enabled";

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final Clock clock;
    private final int maxPending;
    private final Counter skipped;

    public WebhookEvents(WebhookEndpoints endpoints, WebhookDeliveries deliveries, Clock clock, WebhookProperties properties, MeterRegistry meters) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.clock = clock;
        this.maxPending = properties.maxPendingPerEndpoint();
        this.skipped = Counter.builder("seatledger.webhook.events.skipped")
                .description("Events not queued for a webhook endpoint because it had max-pending-per-endpoint deliveries pending").register(meters);
    }

    @EventHandler
    void on(OrganizationEvent event, EventMessage<?> message, TrackingToken token, ReplayStatus replay) {
        if (replay.isReplay()) {
            return;
        }
        String type = ChangeFeed.EVENTS.get(event.getClass().getSimpleName());
        if (type == null) {
            return;
        }
        long position = EventPosition.of(token);
        List<WebhookEndpoints.Subscription> subscriptions = enabledInBatch(event.orgId());
        if (subscriptions.isEmpty()) {
            return;
        }
        String poolKey = "pool:" + poolId(event);
        String seatId = seatId(event);
        String traceparent = message.getMetaData().get(MessageTraces.KEY) instanceof String trace ? trace : null;
        Instant now = clock.instant();
        for (var subscription : subscriptions) {
            if (!subscription.covers(position)) {
                continue;
            }
            boolean queued = true;
            if (subscription.events().contains(type)) {
                queued = deliveries.create(subscription.endpointId(), event.orgId(), position, 0, type, seatId != null ? "seat:" + seatId : poolKey,
                        message.getTimestamp(), traceparent, now, maxPending);
            }
            if (subscription.events().contains(ChangeFeed.THRESHOLD_EVENT)) {
                queued &= deliveries.create(subscription.endpointId(), event.orgId(), position, 1, ChangeFeed.THRESHOLD_EVENT, poolKey,
                        message.getTimestamp(), traceparent, now, maxPending);
            }
            if (!queued) {
                endpoints.skipped(subscription.endpointId(), now);
                skipped.increment();
            }
        }
    }

    /**
     * The organization's enabled endpoints, read once per organization in a batch rather than once per event (a tenth
     * of the service's CPU during a bulk import). No endpoint of the organization is registered, deleted, disabled or
     * enabled until the batch commits ({@link WebhookEndpoints#enabled}); every event of the batch was stored before
     * it was read, so an endpoint registered afterwards (from the newest stored position on) gets none of them.
     */
    private List<WebhookEndpoints.Subscription> enabledInBatch(String orgId) {
        if (!CurrentUnitOfWork.isStarted()) {
            return endpoints.enabled(orgId);
        }
        Map<String, List<WebhookEndpoints.Subscription>> read = CurrentUnitOfWork.get().root().getOrComputeResource(ENABLED_IN_BATCH, key -> new HashMap<>());
        return read.computeIfAbsent(orgId, endpoints::enabled);
    }

    /** The seat a seat message is about (for a transfer, the seat given up), as the feed names it. */
    private static String seatId(OrganizationEvent event) {
        if (event instanceof SeatAssigned assigned) {
            return assigned.seatId();
        }
        if (event instanceof SeatClaimed claimed) {
            return claimed.seatId();
        }
        if (event instanceof SeatRevoked revoked) {
            return revoked.seatId();
        }
        if (event instanceof SeatExpired expired) {
            return expired.seatId();
        }
        return event instanceof SeatTransferred transferred ? transferred.fromSeatId() : null;
    }

    /** Every feed event is a pool's (its record's {@code poolId}). */
    private static String poolId(OrganizationEvent event) {
        try {
            return String.valueOf(event.getClass().getMethod("poolId").invoke(event));
        } catch (ReflectiveOperationException notAPoolEvent) {
            return event.orgId();
        }
    }
}
