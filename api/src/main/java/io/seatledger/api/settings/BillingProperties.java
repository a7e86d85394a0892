package io.seatledger.api.settings;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code seatledger.billing.*}: how seat-ledger talks to Stripe.
 *
 * @param stripe         the account: {@code api-key} (empty: Stripe is not used; checkout and webhooks answer 503),
 *                       {@code api-base} (Stripe's, or a local fake), {@code webhook-secret}, {@code webhook-tolerance}
 *                       (older signatures are refused)
 * @param gracePeriod    how long a past-due pool keeps its entitlements
 * @param sync           retries of our own changes sent to Stripe before a failure is recorded
 * @param webhooks       how received events are applied: poll interval, attempts and first backoff
 * @param reconciliation {@code interval} between scheduled runs (0 turns them off)
 */
public record BillingProperties(@DefaultValue Stripe stripe, @DefaultValue("7d") Duration gracePeriod, @DefaultValue Retry sync,
                                @DefaultValue Webhooks webhooks, @DefaultValue Reconciliation reconciliation) {

    public record Stripe(@DefaultValue("") String apiKey, @DefaultValue(Stripe.API) String apiBase,
                         @DefaultValue("") String webhookSecret, @DefaultValue("5m") Duration webhookTolerance) {

        static final String API = "https://api.stripe.com";

        /** Set but empty (an empty environment variable) is Stripe's own API too. */
        public Stripe {
            apiBase = apiBase == null || apiBase.isBlank() ? API : apiBase;
        }

        public boolean configured() {
            return apiKey != null && !apiKey.isBlank();
        }

        /** The secrets masked: settings get printed (startup reports, failure messages), keys must not be. */
        @Override
        public String toString() {
            return "Stripe[apiKey=" + masked(apiKey) + ", apiBase=" + apiBase + ", webhookSecret=" + masked(webhookSecret)
                    + ", webhookTolerance=" + webhookTolerance + "]";
        }

        private static String masked(String secret) {
            return secret == null || secret.isEmpty() ? "(none)" : "******";
        }
    }

    /**
     * @param attempts     tries of one change before its failure is recorded
     * @param firstBackoff the wait after the first failed try; it doubles with each further one
     */
    public record Retry(@DefaultValue("5") int attempts, @DefaultValue("500ms") Duration firstBackoff) {
    }

    /**
     * @param pollInterval how often received events are looked for
     * @param attempts     tries of one received event
     * @param firstBackoff the wait after the first failed try; it doubles with each further one
     */
    public record Webhooks(@DefaultValue("2s") Duration pollInterval, @DefaultValue("10") int attempts, @DefaultValue("1s") Duration firstBackoff) {
    }

    /** @param interval time from the end of one scheduled reconciliation to the next; 0 turns them off */
    public record Reconciliation(@DefaultValue("1h") Duration interval) {
    }
}
