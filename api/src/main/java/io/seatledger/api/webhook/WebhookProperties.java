package io.seatledger.api.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
@ConfigurationProperties("seatledger.webhooks")
public record WebhookProperties(boolean allowPrivateAddresses, Duration timeout, Duration firstBackoff, Duration maxBackoff, Duration giveUpAfter,
                                Duration pollInterval, Integer maxInFlight, Integer maxInFlightPerOrganization, Integer maxInFlightPerEndpoint,
                                Integer maxEndpointsPerOrganization, Integer maxPendingPerEndpoint, Duration rotationOverlap) {

    public WebhookProperties {
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        firstBackoff = firstBackoff == null ? Duration.ofSeconds(30) : firstBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofHours(8) : maxBackoff;
        giveUpAfter = giveUpAfter == null ? Duration.ofDays(3) : giveUpAfter;
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        maxInFlight = maxInFlight == null ? 256 : maxInFlight;
        maxInFlightPerOrganization = maxInFlightPerOrganization == null ? 4 : maxInFlightPerOrganization;
        maxInFlightPerEndpoint = maxInFlightPerEndpoint == null ? 2 : maxInFlightPerEndpoint;
        maxEndpointsPerOrganization = maxEndpointsPerOrganization == null ? 10 : maxEndpointsPerOrganization;
        maxPendingPerEndpoint = maxPendingPerEndpoint == null ? 10_000 : maxPendingPerEndpoint;
        rotationOverlap = rotationOverlap == null ? Duration.ofHours(24) : rotationOverlap;
    }

    /** The wait before attempt {@code attempts + 1}, after {@code attempts} failed ones. */
    Duration backoff(int attempts) {
        Duration wait = firstBackoff;
        for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
