package io.seatledger.api.settings;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code seatledger.webhooks.*}: how outbound webhooks are sent. Every bound is per instance, but the backlog's.
 *
 * @param allowPrivateAddresses  send to (and accept) URLs that resolve to loopback, private or link-local addresses;
 *                               off by default, for a service on one private network or tests only
 * @param timeout                an attempt not answered with 2xx within it failed
 * @param firstBackoff           the wait after the first failed attempt; it doubles with each further one
 * @param maxBackoff             the longest wait between two attempts
 * @param giveUpAfter            a delivery not made this long after the event is given up (and its endpoint disabled
 *                               when nothing reached it meanwhile)
 * @param pollInterval           how often due deliveries are looked for
 * @param maxInFlight            attempts running at once on this instance, all organizations together
 * @param maxInFlightPerOrganization  attempts running at once for one organization
 * @param maxInFlightPerEndpoint attempts running at once to one endpoint
 * @param maxEndpointsPerOrganization endpoints one organization may register
 * @param maxPendingPerEndpoint  deliveries one endpoint may have pending (across instances); events beyond are not
 *                               queued for it, and counted
 * @param rotationOverlap        how long the previous secret still signs after a rotation
 */
public record WebhookProperties(@DefaultValue("false") boolean allowPrivateAddresses, @DefaultValue("10s") Duration timeout,
                                @DefaultValue("30s") Duration firstBackoff, @DefaultValue("8h") Duration maxBackoff,
                                @DefaultValue("3d") Duration giveUpAfter, @DefaultValue("1s") Duration pollInterval,
                                @DefaultValue("256") int maxInFlight, @DefaultValue("4") int maxInFlightPerOrganization,
                                @DefaultValue("2") int maxInFlightPerEndpoint, @DefaultValue("10") int maxEndpointsPerOrganization,
                                @DefaultValue("10000") int maxPendingPerEndpoint, @DefaultValue("24h") Duration rotationOverlap) {

    /** The wait before attempt {@code attempts + 1}, after {@code attempts} failed ones. */
    public Duration backoff(int attempts) {
        Duration wait = firstBackoff;
        for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
