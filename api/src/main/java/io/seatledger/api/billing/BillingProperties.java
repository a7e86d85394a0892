package io.seatledger.api.billing;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
@ConfigurationProperties("seatledger.billing")
public record BillingProperties(Stripe stripe, Duration gracePeriod, Retry sync, Webhooks webhooks, Reconciliation reconciliation) {

    public BillingProperties {
        stripe = stripe == null ? new Stripe(null, null, null, null) : stripe;
        gracePeriod = gracePeriod == null ? Duration.ofDays(7) : gracePeriod;
        sync = sync == null ? new Retry(null, null) : sync;
        webhooks = webhooks == null ? new Webhooks(null, null, null) : webhooks;
        reconciliation = reconciliation == null ? new Reconciliation(null) : reconciliation;
    }

    public record Stripe(String apiKey, String apiBase, String webhookSecret, Duration webhookTolerance) {
        public Stripe {
            apiBase = apiBase == null || apiBase.isBlank() ? "https://api.stripe.com" : apiBase;
            webhookTolerance = webhookTolerance == null ? Duration.ofMinutes(5) : webhookTolerance;
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

    public record Retry(Integer attempts, Duration firstBackoff) {
        public Retry {
            attempts = attempts == null ? 5 : attempts;
            firstBackoff = firstBackoff == null ? Duration.ofMillis(500) : firstBackoff;
        }
    }

    public record Webhooks(Duration pollInterval, Integer attempts, Duration firstBackoff) {
        public Webhooks {
            pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
            attempts = attempts == null ? 10 : attempts;
            firstBackoff = firstBackoff == null ? Duration.ofSeconds(1) : firstBackoff;
        }
    }

    public record Reconciliation(Duration interval) {
        public Reconciliation {
            interval = interval == null ? Duration.ofHours(1) : interval;
        }
    }
}
