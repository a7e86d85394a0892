package io.seatledger.api.webhook;

import io.seatledger.api.settings.WebhookProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.seatledger.api.erasure.KeyEncryptionKey;
import io.seatledger.projections.ByOrganization;
import io.seatledger.query.feed.ChangeFeed;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

/** Outbound webhooks: endpoints, the processor that makes deliveries, the sender and their metrics. */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    @Bean
    WebhookUrls webhookUrls(WebhookProperties properties) {
        return new WebhookUrls(properties.allowPrivateAddresses());
    }

    @Bean
    WebhookEndpoints webhookEndpoints(JdbcTemplate jdbc, KeyEncryptionKey kek, PlatformTransactionManager transactions, Clock clock,
                                      WebhookProperties properties) {
        return new WebhookEndpoints(jdbc, kek, transactions, clock, properties);
    }

    @Bean
    WebhookDeliveries webhookDeliveries(JdbcTemplate jdbc) {
        return new WebhookDeliveries(jdbc);
    }

    @Bean
    WebhookEvents webhookEvents(WebhookEndpoints endpoints, WebhookDeliveries deliveries, Clock clock, WebhookProperties properties, MeterRegistry meters) {
        return new WebhookEvents(endpoints, deliveries, clock, properties, meters);
    }

    /** An organization's deliveries are made in the order of its events. */
    @Bean
    ConfigurerModule webhooksInOrder() {
        return configurer -> configurer.eventProcessing().registerSequencingPolicy(WebhookEvents.PROCESSOR, config -> ByOrganization.INSTANCE);
    }

    @Bean
    WebhookSender webhookSender(WebhookDeliveries deliveries, WebhookEndpoints endpoints, ChangeFeed feed, WebhookUrls urls, WebhookProperties properties,
                                JsonMapper json, Clock clock, MeterRegistry meters, Tracer tracer, Propagator propagator) {
        return new WebhookSender(deliveries, endpoints, feed, urls, properties, json, clock, meters, tracer, propagator);
    }

    /**
     * seatledger_webhook_deliveries_failing (deliveries whose last attempt failed and that are still tried) and
     * seatledger_webhook_endpoints_disabled (endpoints disabled after their deliveries kept failing), across instances.
     */
    @Bean
    MeterBinder webhookMetrics(JdbcTemplate jdbc) {
        return registry -> {
            Gauge.builder("seatledger.webhook.deliveries.failing", jdbc,
                            database -> count(database, "select count(*) from webhooks.deliveries where status = 'pending' and attempts > 0"))
                    .description("Webhook deliveries whose last attempt failed and that will be tried again").register(registry);
            Gauge.builder("seatledger.webhook.endpoints.disabled", jdbc,
                            database -> count(database, "select count(*) from webhooks.endpoints where disabled_at is not null"))
                    .description("Webhook endpoints disabled after their deliveries kept failing").register(registry);
        };
    }

    private static double count(JdbcTemplate jdbc, String sql) {
        try {
            Long count = jdbc.queryForObject(sql, Long.class);
            return count == null ? 0 : count;
        } catch (RuntimeException unavailable) {
            return Double.NaN;
        }
    }
}
