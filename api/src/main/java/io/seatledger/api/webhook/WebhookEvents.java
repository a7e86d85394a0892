package io.seatledger.api.webhook;

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

import java.time.Clock;

/**
 * Makes the deliveries of each live-feed event to the organization's enabled endpoints that subscribe to it (and the
 * {@code usage.threshold} message that may follow it), in the processor's transaction. A replay makes none (what a
 * replay sees was delivered, or given up, when it first happened; the handler looks at the {@link ReplayStatus} rather
 * than being {@code @DisallowReplay}, with which Axon would refuse to reset the processor at all), and an endpoint
 * gets only events stored after it was registered, so a first run from the start of the store delivers no history
 * either. Sequenced by organization, so an organization's deliveries are recorded in the order of its events.
 */
@ProcessingGroup(WebhookEvents.PROCESSOR)
public class WebhookEvents {

    public static final String PROCESSOR = "webhooks";

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final Clock clock;

    public WebhookEvents(WebhookEndpoints endpoints, WebhookDeliveries deliveries, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.clock = clock;
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
        var subscriptions = endpoints.subscribedAt(event.orgId(), position);
        if (subscriptions.isEmpty()) {
            return;
        }
        String poolKey = "pool:" + poolId(event);
        String seatId = seatId(event);
        for (var subscription : subscriptions) {
            if (subscription.events().contains(type)) {
                deliveries.create(subscription.endpointId(), event.orgId(), position, 0, type, seatId != null ? "seat:" + seatId : poolKey,
                        message.getTimestamp(), clock.instant());
            }
            if (subscription.events().contains(ChangeFeed.THRESHOLD_EVENT)) {
                deliveries.create(subscription.endpointId(), event.orgId(), position, 1, ChangeFeed.THRESHOLD_EVENT, poolKey, message.getTimestamp(),
                        clock.instant());
            }
        }
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
