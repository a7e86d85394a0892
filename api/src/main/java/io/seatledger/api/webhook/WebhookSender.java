package io.seatledger.api.webhook;

import io.seatledger.api.settings.WebhookProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.netty.channel.ChannelOption;
import io.seatledger.api.observability.MessageTraces;
import io.seatledger.api.stream.StreamController.FeedData;
import io.seatledger.query.feed.ChangeFeed;
import io.seatledger.query.feed.FeedEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends due deliveries: {@code POST} of {@code {type, timestamp, data}} ({@code data} as the live stream shows the
 * event), signed per Standard Webhooks. An attempt answered 2xx within {@code timeout} delivered; any other answer, a
 * timeout or a refused address is tried again after an exponential backoff, until {@code give-up-after}; then the
 * delivery failed, and its endpoint is disabled unless something reached it meanwhile. Attempts are non-blocking and
 * bounded on this instance in all, per organization and per endpoint, so a slow or hanging endpoint holds only its
 * own few slots: every other tenant's deliveries go on beside it. An attempt of a traced event's delivery is a span
 * {@code webhook POST} of the event's trace, child of the span that applied the event (also a retry days later), and
 * sends it on as W3C {@code traceparent}, so that the receiver can join the trace.
 */
public class WebhookSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    /** How long a lease outlives an attempt's timeout: the time to record the outcome. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    private final WebhookDeliveries deliveries;
    private final WebhookEndpoints endpoints;
    private final ChangeFeed feed;
    private final WebhookUrls urls;
    private final WebhookProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final Tracer tracer;
    private final Propagator propagator;
    private final WebClient web;
    private final ExecutorService lookups;
    private final ConnectionProvider connections;
    private final Scheduler records;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Integer> perOrganization = new ConcurrentHashMap<>();
    private final Map<String, Integer> perEndpoint = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter retried;
    private final Counter gaveUp;
    private volatile ScheduledExecutorService ticks;

    public WebhookSender(WebhookDeliveries deliveries, WebhookEndpoints endpoints, ChangeFeed feed, WebhookUrls urls, WebhookProperties properties,
                         JsonMapper json, Clock clock, MeterRegistry meters, Tracer tracer, Propagator propagator) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.feed = feed;
        this.urls = urls;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.tracer = tracer;
        this.propagator = propagator;
        this.lookups = new ThreadPoolExecutor(2, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), daemon("webhook-dns"));
        this.connections = ConnectionProvider.builder("webhooks").maxConnections(properties.maxInFlight())
                .pendingAcquireTimeout(properties.timeout()).maxIdleTime(Duration.ofSeconds(30)).build();
        HttpClient http = HttpClient.create(connections)
                .resolver(new PublicAddressResolver(urls, lookups))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, properties.timeout().toMillis()))
                .responseTimeout(properties.timeout())
                .followRedirect(false);
        this.web = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
        this.records = Schedulers.newBoundedElastic(4, 10_000, "webhook-records");
        this.delivered = outcome(meters, "delivered");
        this.retried = outcome(meters, "retried");
        this.gaveUp = outcome(meters, "gave_up");
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("seatledger.webhook.attempts").description("Webhook delivery attempts, by outcome (delivered, retried, gave_up)")
                .tag("outcome", outcome).register(meters);
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(daemon("webhook-sender"));
        long every = Math.max(10, properties.pollInterval().toMillis());
        executor.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        ticks = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = ticks;
        ticks = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        lookups.shutdownNow();
        records.dispose();
        connections.dispose();
    }

    @Override
    public boolean isRunning() {
        return ticks != null;
    }

    /** Starts an attempt for each due delivery there is room for. */
    void tick() {
        try {
            int room = properties.maxInFlight() - inFlight.get();
            if (room <= 0) {
                return;
            }
            Instant now = clock.instant();
            List<WebhookDeliveries.Due> due = deliveries.due(now, properties.maxInFlightPerEndpoint(), properties.maxInFlightPerOrganization(), room,
                    full(perEndpoint, properties.maxInFlightPerEndpoint()), full(perOrganization, properties.maxInFlightPerOrganization()));
            for (WebhookDeliveries.Due delivery : due) {
                if (inFlight.get() >= properties.maxInFlight()) {
                    return;
                }
                if (!take(perEndpoint, delivery.endpointId(), properties.maxInFlightPerEndpoint())) {
                    continue;
                }
                if (!take(perOrganization, delivery.orgId(), properties.maxInFlightPerOrganization())) {
                    give(perEndpoint, delivery.endpointId());
                    continue;
                }
                String lease = UUID.randomUUID().toString();
                if (!deliveries.lease(delivery.deliveryId(), lease, now, now.plus(properties.timeout()).plus(LEASE_MARGIN))) {
                    give(perEndpoint, delivery.endpointId());
                    give(perOrganization, delivery.orgId());
                    continue;
                }
                inFlight.incrementAndGet();
                attempt(delivery, lease)
                        .timeout(properties.timeout().plus(LEASE_MARGIN))
                        .onErrorResume(failure -> {
                            log.warn("a webhook attempt of endpoint {} could not be recorded ({}); its lease runs out and it is tried again",
                                    delivery.endpointId(), failure.getClass().getSimpleName());
                            return Mono.empty();
                        })
                        .doFinally(signal -> {
                            inFlight.decrementAndGet();
                            give(perEndpoint, delivery.endpointId());
                            give(perOrganization, delivery.orgId());
                        })
                        .subscribe();
            }
        } catch (RuntimeException failure) {
            log.warn("looking for due webhook deliveries failed ({}); looking again shortly", failure.getClass().getSimpleName());
        }
    }

    private Mono<Void> attempt(WebhookDeliveries.Due delivery, String lease) {
        Mono<String> body = delivery.body() != null ? Mono.just(delivery.body()) : body(delivery, lease);
        return body.flatMap(content -> {
                    Span span = span(delivery);
                    return send(delivery, content, span)
                            .publishOn(records)
                            .doOnNext(outcome -> {
                                try (Tracer.SpanInScope scope = span == null ? null : tracer.withSpan(span)) {
                                    record(delivery, lease, outcome, span);
                                }
                            })
                            .doFinally(signal -> {
                                if (span != null) {
                                    span.end();
                                }
                            });
                })
                .then();
    }

    /** The attempt's span, child of the event's trace; null for an untraced event (its attempts start no trace). */
    private Span span(WebhookDeliveries.Due delivery) {
        if (delivery.traceparent() == null) {
            return null;
        }
        return propagator.extract(delivery.traceparent(), (carrier, key) -> MessageTraces.KEY.equals(key) ? carrier : null)
                .name("webhook POST")
                .kind(Span.Kind.CLIENT)
                .tag("webhook.endpoint_id", delivery.endpointId())
                .tag("webhook.id", delivery.deliveryId())
                .tag("webhook.event_type", delivery.eventType())
                .tag("webhook.attempt", String.valueOf(delivery.attempts() + 1))
                .start();
    }

    /** The span as a W3C {@value MessageTraces#KEY} header value. */
    private String traceparent(Span span) {
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(MessageTraces.KEY);
    }

    /** The delivery's body, once the feed has the event's counts; empty when there is nothing to send (yet). */
    private Mono<String> body(WebhookDeliveries.Due delivery, String lease) {
        return feed.at(delivery.orgId(), delivery.position()).collectList()
                .publishOn(records)
                .flatMap(entries -> {
                    if (entries.isEmpty()) {
                        deliveries.notReady(delivery.deliveryId(), lease, clock.instant().plus(properties.pollInterval()));
                        return Mono.empty();
                    }
                    FeedEntry entry = entries.stream()
                            .filter(candidate -> candidate.event().equals(delivery.eventType()) && (delivery.rank() == 1) == (candidate.threshold() != null))
                            .findFirst().orElse(null);
                    if (entry == null) {
                        deliveries.drop(delivery.deliveryId(), lease);
                        return Mono.empty();
                    }
                    Map<String, Object> message = new LinkedHashMap<>();
                    message.put("type", delivery.eventType());
                    message.put("timestamp", delivery.occurredAt().toString());
                    message.put("data", FeedData.of(entry));
                    String content = json.writeValueAsString(message);
                    deliveries.setBody(delivery.deliveryId(), lease, content);
                    return Mono.just(content);
                });
    }

    /** What an attempt came to: an HTTP status, or an error without one. */
    record Outcome(Integer status, String error) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private Mono<Outcome> send(WebhookDeliveries.Due delivery, String body, Span span) {
        return Mono.fromCallable(() -> {
                    URI uri = URI.create(delivery.url());
                    String host = WebhookUrls.host(uri);
                    if (isLiteral(host)) {
                        // an address in the URL is not looked up, so the resolver never sees it
                        urls.checkAddress(InetAddress.getByName(host));
                    }
                    List<byte[]> keys = endpoints.signingKeys(delivery.orgId(), delivery.endpointId());
                    if (keys.isEmpty()) {
                        throw new IllegalStateException("the endpoint was deleted");
                    }
                    long timestamp = clock.instant().getEpochSecond();
                    String signature = WebhookSignature.header(keys, delivery.deliveryId(), timestamp, body);
                    return web.post().uri(uri)
                            .contentType(MediaType.APPLICATION_JSON)
                            .header("webhook-id", delivery.deliveryId())
                            .header("webhook-timestamp", String.valueOf(timestamp))
                            .header("webhook-signature", signature)
                            .header("User-Agent", "seat-ledger-webhooks/1")
                            .headers(headers -> {
                                if (span != null) {
                                    headers.set(MessageTraces.KEY, traceparent(span));
                                }
                            })
                            .bodyValue(body.getBytes(StandardCharsets.UTF_8));
                })
                .subscribeOn(records)
                .flatMap(request -> request.exchangeToMono(response -> response.releaseBody().thenReturn(new Outcome(response.statusCode().value(), null)))
                        .timeout(properties.timeout()))
                .map(outcome -> outcome.delivered() ? outcome : new Outcome(outcome.status(), "HTTP " + outcome.status()))
                .onErrorResume(failure -> Mono.just(new Outcome(null, describe(failure))));
    }

    private void record(WebhookDeliveries.Due delivery, String lease, Outcome outcome, Span span) {
        Instant now = clock.instant();
        if (span != null) {
            if (outcome.status() != null) {
                span.tag("http.response.status_code", outcome.status().longValue());
            }
            if (!outcome.delivered()) {
                span.tag("error", outcome.error());
            }
        }
        if (outcome.delivered()) {
            deliveries.delivered(delivery.deliveryId(), lease, outcome.status(), now);
            endpoints.succeeded(delivery.endpointId(), now);
            delivered.increment();
            return;
        }
        Instant firstAttempt = delivery.firstAttemptAt() != null ? delivery.firstAttemptAt() : now;
        Instant next = now.plus(properties.backoff(delivery.attempts() + 1));
        if (next.isAfter(firstAttempt.plus(properties.giveUpAfter()))) {
            deliveries.attemptFailed(delivery.deliveryId(), lease, outcome.status(), outcome.error(), now, null);
            gaveUp.increment();
            String reason = "deliveries failing since " + firstAttempt + " (last: " + outcome.error() + ")";
            if (endpoints.disableIfFailingSince(delivery.endpointId(), firstAttempt, reason)) {
                log.atWarn().addKeyValue("orgId", delivery.orgId())
                        .log("webhook endpoint {} disabled: nothing reached it for {}", delivery.endpointId(), properties.giveUpAfter());
            }
            return;
        }
        deliveries.attemptFailed(delivery.deliveryId(), lease, outcome.status(), outcome.error(), now, next);
        retried.increment();
    }

    /** What went wrong, in words that quote nothing the endpoint sent. */
    private String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof io.seatledger.messages.common.SeatLedgerException) {
                break;
            }
            cause = cause.getCause();
        }
        if (cause instanceof io.seatledger.messages.common.SeatLedgerException refused) {
            return "refused: " + refused.getMessage();
        }
        if (failure instanceof TimeoutException || cause instanceof TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout")) {
            return "no answer within " + properties.timeout().toMillis() + " ms";
        }
        if (cause instanceof ConnectException || cause.getClass().getSimpleName().contains("Connect")) {
            return "connection failed";
        }
        if (cause instanceof java.net.UnknownHostException) {
            return "the host does not resolve";
        }
        return "request failed (" + cause.getClass().getSimpleName() + ")";
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    /** The keys that hold all their attempts now. */
    private static java.util.Set<String> full(Map<String, Integer> counts, int limit) {
        java.util.Set<String> full = new java.util.HashSet<>();
        counts.forEach((key, held) -> {
            if (held >= limit) {
                full.add(key);
            }
        });
        return full;
    }

        private static boolean take(Map<String, Integer> counts, String key, int limit) {
        boolean[] taken = {false};
        counts.compute(key, (k, held) -> {
            int now = held == null ? 0 : held;
            if (now >= limit) {
                return held;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private static void give(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, held) -> held <= 1 ? null : held - 1);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
