package io.seatledger.api.billing;

import io.seatledger.api.settings.BillingProperties;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.stripe.StripeClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.seatledger.billing.reconciliation.CacheRepair;
import io.seatledger.billing.reconciliation.Reconciliation;
import io.seatledger.billing.reconciliation.ReconciliationStore;
import io.seatledger.billing.stripe.StripeGateway;
import io.seatledger.billing.sync.StripeLinks;
import io.seatledger.billing.sync.StripeSync;
import io.seatledger.billing.webhook.WebhookInbox;
import io.seatledger.billing.webhook.WebhookProcessor;
import io.seatledger.projections.counters.RedisCounterRebuild;
import io.seatledger.projections.rebuild.ShadowRebuild;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.seatledger.api.axon.StartedAfterAxon;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;

/** The Stripe adapter (module {@code billing}) wired into the service. */
@Configuration(proxyBeanMethods = false)
public class BillingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BillingConfiguration.class);

    @Bean
    public StripeGateway stripeGateway(BillingProperties properties, ObservationRegistry observations) {
        BillingProperties.Stripe stripe = properties.stripe();
        StripeClient client = StripeClient.builder()
                .setApiKey(stripe.configured() ? stripe.apiKey() : "sk_unconfigured")
                .setApiBase(stripe.apiBase())
                // retries are ours (StripeSync, WebhookProcessor), with idempotency keys: one policy, one place
                .setMaxNetworkRetries(0)
                .setConnectTimeout(5_000)
                .setReadTimeout(20_000)
                .setHttpClient(new ObservedStripeHttp(observations))
                .build();
        return new StripeGateway(client);
    }

    @Bean
    public StripeLinks stripeLinks(JdbcTemplate jdbc) {
        return new StripeLinks(jdbc);
    }

    @Bean
    public StripeSync stripeSync(StripeLinks links, StripeGateway stripe, CommandGateway commands, EventStore events, BillingProperties properties,
                                 MeterRegistry meters) {
        return new StripeSync(links, stripe, commands, events,
                new StripeSync.RetryPolicy(properties.sync().attempts(), properties.sync().firstBackoff()), meters);
    }

    @Bean
    public WebhookInbox webhookInbox(JdbcTemplate jdbc, BillingProperties properties, Clock clock, MeterRegistry meters) {
        return new WebhookInbox(jdbc, properties.stripe().webhookSecret(), properties.stripe().webhookTolerance(), clock, meters);
    }

    @Bean
    public WebhookProcessor webhookProcessor(JdbcTemplate jdbc, StripeGateway stripe, StripeLinks links, CommandGateway commands, Clock clock,
                                             BillingProperties properties, WebhookInbox inbox) {
        BillingProperties.Webhooks webhooks = properties.webhooks();
        return new WebhookProcessor(jdbc, stripe, links, commands, clock,
                new WebhookProcessor.Settings(properties.gracePeriod(), webhooks.pollInterval(), webhooks.attempts(), webhooks.firstBackoff()), inbox);
    }

    @Bean
    public SmartLifecycle webhookProcessing(WebhookProcessor processor, BillingProperties properties) {
        return new StartedAfterAxon(() -> {
            if (properties.stripe().configured()) {
                processor.start();
            }
        }, processor::stop);
    }

    @Bean
    public ReconciliationStore reconciliationStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new ReconciliationStore(jdbc, new TransactionTemplate(transactions));
    }

    /**
     * A stale read model is rebuilt into shadow tables and swapped in; stale Redis counters are then rebuilt
     * from PostgreSQL (after the read model's rebuild, when both are stale).
     */
    @Bean
    public CacheRepair cacheRepair(ShadowRebuild rebuilds, RedisCounterRebuild redisRebuild) {
        return stale -> Schedulers.boundedElastic().schedule(() -> {
            try {
                if (stale.contains(CacheRepair.Cache.READ_MODEL)) {
                    rebuilds.start(SeatPoolProjection.PROCESSOR);
                    while (rebuilds.running(SeatPoolProjection.PROCESSOR)) {
                        Thread.sleep(200);
                    }
                }
                if (stale.contains(CacheRepair.Cache.REDIS)) {
                    redisRebuild.rebuild();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("repairing {} failed: {}", stale, e.getClass().getName());
            }
        });
    }

    @Bean
    public Reconciliation reconciliation(JdbcTemplate jdbc, StringRedisTemplate redis, EventStore events, StripeGateway stripe, StripeLinks links,
                                         CommandGateway commands, CacheRepair repair, ReconciliationStore store, Clock clock,
                                         BillingProperties properties, MeterRegistry meters) {
        return new Reconciliation(jdbc, redis, events, properties.stripe().configured() ? stripe : null, links, commands, repair, store, clock,
                properties.gracePeriod(), meters);
    }

    @Bean
    public OneReconciliationAtATime oneReconciliationAtATime(Reconciliation reconciliation, JdbcTemplate jdbc) {
        return new OneReconciliationAtATime(reconciliation, jdbc);
    }

    /** Run by the db-scheduler that also runs the deadlines, which starts once Axon runs (the reconciliation may send commands). */
    @Bean
    public RecurringTask<Void> scheduledReconciliation(OneReconciliationAtATime reconciliations, BillingProperties properties) {
        return ScheduledReconciliation.task(properties.reconciliation().interval(), () -> reconciliations.run(ScheduledReconciliation.REQUESTED_BY));
    }
}
