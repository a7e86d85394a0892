package io.seatledger.api.settings;

import io.seatledger.api.consistency.ConsistencyProperties;
import io.seatledger.api.ratelimit.RateLimitProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds {@link SeatLedgerProperties} and offers the parts whole features take as beans of their own. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SeatLedgerProperties.class)
public class SettingsConfiguration {

    @Bean
    public ConsistencyProperties consistencyProperties(SeatLedgerProperties settings) {
        return settings.consistency();
    }

    @Bean
    public RateLimitProperties rateLimitProperties(SeatLedgerProperties settings) {
        return settings.rateLimit();
    }

    @Bean
    public BillingProperties billingProperties(SeatLedgerProperties settings) {
        return settings.billing();
    }

    @Bean
    public WebhookProperties webhookProperties(SeatLedgerProperties settings) {
        return settings.webhooks();
    }
}
