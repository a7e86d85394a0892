package io.seatledger.api.settings;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Printed settings show whether Stripe's secrets are set, never the secrets. */
class BillingPropertiesTest {

    @Test
    void theStripeSecretsAreMaskedWhereverTheSettingsArePrinted() {
        BillingProperties.Stripe stripe = new BillingProperties.Stripe("sk_live_51SecretKey", "https://api.stripe.com", "whsec_SecretSigningKey",
                Duration.ofMinutes(5));
        BillingProperties properties = new BillingProperties(stripe, null, null, null, null);
        for (String printed : new String[] {stripe.toString(), properties.toString()}) {
            assertThat(printed).doesNotContain("sk_live_51SecretKey").doesNotContain("whsec_SecretSigningKey")
                    .contains("apiKey=******").contains("webhookSecret=******").contains("https://api.stripe.com");
        }
        assertThat(new BillingProperties.Stripe(null, null, "", null).toString()).contains("apiKey=(none)").contains("webhookSecret=(none)");
    }
}
