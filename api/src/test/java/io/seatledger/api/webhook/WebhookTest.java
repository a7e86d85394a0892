package io.seatledger.api.webhook;

import io.seatledger.api.settings.WebhookProperties;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.Processors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.seatledger.api.http.TraceIds;
import io.seatledger.api.support.Spans;
import io.seatledger.query.feed.ChangeFeed;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outbound webhooks through the running service, received by an HTTP server on loopback (the test profile allows
 * private addresses, and lets one test turn that off): signatures checked with Standard Webhooks' algorithm written
 * out here, retries, order per seat, replays, a hanging tenant and a tenant's full backlog beside another, the trace
 * carried to the receiver, the bound of an endpoint's backlog, SSRF refusals and tenancy.
 */
class WebhookTest extends ApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebhookUrls urls;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    WebhookDeliveries deliveries;
    @Autowired
    WebhookEndpoints endpoints;
    @Autowired
    ChangeFeed feed;
    @Autowired
    WebhookProperties properties;
    @Autowired
    JsonMapper jsonMapper;
    @Autowired
    Tracer tracer;
    @Autowired
    Propagator propagator;
    @Autowired
    MeterRegistry meters;

    private Receiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        urls.allowPrivateAddresses(true);
        // the endpoints this test registered, whichever organization: nothing keeps retrying into later tests
        jdbc.update("delete from webhooks.endpoints where url like ?", "http://%:" + receiver.port() + "/%");
        receiver.stop();
    }

    @Test
    void deliversSignedMessagesThatStandardWebhooksVerifiesAndShowsTheSecretOnce() throws Exception {
        Map<String, Object> created = createEndpoint(manager, orgId, receiver.url("ok"), List.of("seat.assigned"));
        String secret = (String) created.get("secret");
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSizeGreaterThanOrEqualTo(24);
        String endpointId = (String) created.get("endpointId");

        String poolId = buyPool(5);
        String seatId = (String) assign(poolId, "ada@example.com").get("seatId");

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("ok").size() >= 1);
        Received message = receiver.received("ok").get(0);
        assertThat(verify(secret, message)).as("the signature verifies with the endpoint's secret").isTrue();
        assertThat(verify(WebhookSignature.newSecret(), message)).as("and not with another").isFalse();
        assertThat(message.headers().get("webhook-id")).startsWith("msg_");
        assertThat(Long.parseLong(message.headers().get("webhook-timestamp"))).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(30L));
        JsonNode body = JSON.readTree(message.body());
        assertThat(body.path("type").asString()).isEqualTo("seat.assigned");
        assertThat(body.path("timestamp").asString()).isNotBlank();
        JsonNode data = body.path("data");
        assertThat(data.path("poolId").asString()).isEqualTo(poolId);
        assertThat(data.path("seatId").asString()).isEqualTo(seatId);
        assertThat(data.path("status").asString()).isEqualTo("active");
        assertThat(data.path("capacity").asInt()).isEqualTo(5);
        assertThat(data.path("pending").asInt()).isEqualTo(1);
        assertThat(data.path("available").asInt()).isEqualTo(4);
        assertThat(data.has("holderUserId") && data.get("holderUserId").isNull()).isTrue();
        assertThat(data.has("threshold") && data.get("threshold").isNull()).isTrue();
        assertThat(data.path("position").asLong()).isPositive();
        // the data of the live stream's message for the same event: the same fields, in the same order
        List<String> fields = new ArrayList<>();
        data.propertyNames().forEach(fields::add);
        assertThat(fields).containsExactly("position", "poolId", "seatId", "holderUserId", "status", "capacity", "pending", "claimed", "available",
                "overAllocated", "threshold");

        // the secret is never shown again
        String shown = manager.get().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}", orgId, endpointId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        String listed = manager.get().uri("/api/v1/orgs/{org}/webhook-endpoints", orgId).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(shown).doesNotContain("secret").doesNotContain(secret.substring(6));
        assertThat(listed).contains(endpointId).doesNotContain("secret").doesNotContain(secret.substring(6));
        assertThat(jdbc.queryForList("select wrapped_secret from webhooks.endpoints where endpoint_id = ?", String.class, endpointId))
                .singleElement().asString().doesNotContain(secret.substring(6));

        // a rotation shows a new secret; during the overlap both sign
        Map<String, Object> rotated = json(manager.post().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}/rotate-secret", orgId, endpointId).exchange()
                .expectStatus().isOk());
        String newSecret = (String) rotated.get("secret");
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(secret);
        assign(poolId, "bo@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("ok").size() >= 2);
        Received afterRotation = receiver.received("ok").get(1);
        assertThat(verify(newSecret, afterRotation)).isTrue();
        assertThat(verify(secret, afterRotation)).isTrue();

        JsonNode deliveries = JSON.readTree(manager.get().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}/deliveries", orgId, endpointId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(deliveries.path("items")).hasSize(2);
        assertThat(deliveries.path("items").get(1).path("deliveryId").asString()).isEqualTo(message.headers().get("webhook-id"));
        assertThat(deliveries.path("items").get(1).path("status").asString()).isEqualTo("delivered");
        assertThat(deliveries.path("items").get(1).path("lastStatus").asInt()).isEqualTo(204);
        assertThat(deliveries.path("items").get(1).path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachMessageIsTheLiveStreamsMessageForTheSameEvent() {
        List<String> everything = List.copyOf(new java.util.TreeSet<>(WebhookController.EVENT_NAMES));
        createEndpoint(manager, orgId, receiver.url("all"), everything);
        String poolId = buyPool(5);
        for (int i = 0; i < 4; i++) {
            assign(poolId, "stream" + i + "@example.com");
        }
        List<ServerSentEvent<Map<String, Object>>> streamed = manager.get().uri("/api/v1/orgs/{org}/stream", orgId).accept(MediaType.TEXT_EVENT_STREAM)
                .header("Last-Event-ID", "s0").exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(event -> event.event() != null).take(Duration.ofSeconds(3)).collectList().block(Duration.ofSeconds(10));
        assertThat(streamed).extracting(ServerSentEvent::event).contains("pool.purchased", "seat.assigned", "usage.threshold");

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("all").size() >= streamed.size());
        List<Map<String, Object>> delivered = receiver.received("all").stream().map(r -> (Map<String, Object>) JSON.readValue(r.body(), Map.class)).toList();
        List<Map<String, Object>> expected = streamed.stream().map(event -> Map.of("type", event.event(), "data", (Object) event.data())).toList();
        assertThat(delivered).extracting(message -> Map.of("type", message.get("type"), "data", message.get("data")))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void twoSendersSharingTheDatabaseSendEachDeliveryOnce() {
        receiver.behave("shared", attempt -> -50);
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("shared"), List.of("seat.assigned")).get("endpointId");
        // a second instance's sender: its own bounds, the same tables
        WebhookSender second = new WebhookSender(deliveries, endpoints, feed, urls, properties, jsonMapper, clock, new SimpleMeterRegistry(), tracer,
                propagator);
        second.start();
        try {
            String poolId = buyPool(30);
            for (int i = 0; i < 20; i++) {
                assign(poolId, "shared" + i + "@example.com");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "select count(*) from webhooks.deliveries where endpoint_id = ? and status = 'delivered'", Integer.class, endpointId) == 20);
        } finally {
            second.stop();
        }
        assertThat(receiver.received("shared")).hasSize(20)
                .extracting(r -> r.headers().get("webhook-id")).doesNotHaveDuplicates();
    }

    @Test
    void anEndpointGetsOnlyEventsStoredAfterItWasRegistered() throws InterruptedException {
        String poolId = buyPool(3);
        assign(poolId, "before@example.com");
        createEndpoint(manager, orgId, receiver.url("later"), List.of("pool.purchased", "seat.assigned"));
        assign(poolId, "after@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("later").size() >= 1);
        // the processor has seen everything stored: nothing older arrives late
        new Processors(processing, jdbc).awaitCaughtUp(WebhookEvents.PROCESSOR);
        Thread.sleep(500);
        assertThat(receiver.received("later")).singleElement()
                .extracting(r -> JSON.readTree(r.body()).path("data").path("pending").asInt()).isEqualTo(2);
    }

    /**
     * The processor reads an organization's endpoints once per batch: an endpoint registered between bulk imports,
     * while the processor is still delivering the earlier ones, gets every seat event stored after it and none before.
     */
    @Test
    void anEndpointRegisteredBetweenBulkImportsGetsExactlyTheEventsStoredAfterIt() throws Exception {
        String poolId = buyPool(400);
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch registered = new CountDownLatch(1);
        ExecutorService importer = Executors.newSingleThreadExecutor();
        try {
            var imports = importer.submit(() -> {
                for (int bulk = 0; bulk < 8; bulk++) {
                    if (bulk == 4) {
                        paused.countDown();
                        registered.await();
                    }
                    List<Map<String, Object>> seats = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        seats.add(Map.of("email", "bulk" + bulk + "-" + i + "@during.example"));
                    }
                    manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Map.of("seats", seats)).exchange().expectStatus().isOk();
                }
                return null;
            });
            assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
            String endpointId = (String) createEndpoint(manager, orgId, receiver.url("during"), List.of("seat.assigned")).get("endpointId");
            registered.countDown();
            imports.get(60, TimeUnit.SECONDS);
            new Processors(processing, jdbc).awaitCaughtUp(WebhookEvents.PROCESSOR);

            long from = jdbc.queryForObject("select from_position from webhooks.endpoints where endpoint_id = ?", Long.class, endpointId);
            List<Long> storedAfter = jdbc.queryForList("select global_index from events.domain_event_entry where aggregate_identifier = ?"
                    + " and payload_type like '%.SeatAssigned' and global_index > ? order by global_index", Long.class, poolId, from);
            List<Long> delivered = jdbc.queryForList("select position from webhooks.deliveries where endpoint_id = ? and event_type = 'seat.assigned'"
                    + " order by position", Long.class, endpointId);
            assertThat(storedAfter).as("the four imports after the registration").hasSize(160);
            assertThat(delivered).isEqualTo(storedAfter);
        } finally {
            importer.shutdownNow();
        }
    }

    @Test
    void triesAgainAfter500AndAfterATimeoutWithTheSameIdAndBody() {
        // 500, then an answer only after the 1 s timeout, then 204
        receiver.behave("flaky", attempt -> attempt == 1 ? 500 : attempt == 2 ? -2500 : 204);
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("flaky"), List.of("seat.assigned")).get("endpointId");
        String poolId = buyPool(3);
        assign(poolId, "cy@example.com");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(endpointId, 0).path("status").asString().equals("delivered")
                && receiver.received("flaky").size() == 3);
        List<Received> attempts = receiver.received("flaky");
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(received -> received.headers().get("webhook-id")).containsOnly(attempts.get(0).headers().get("webhook-id"));
        assertThat(attempts).extracting(Received::body).containsOnly(attempts.get(0).body());
        JsonNode delivery = delivery(endpointId, 0);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.path("lastStatus").asInt()).isEqualTo(204);
    }

    @Test
    void anEndpointThatKeepsFailingIsDisabledWithAReasonAndRedeliveryTriesAgain() {
        AtomicInteger mode = new AtomicInteger(500);
        receiver.behave("down", attempt -> mode.get());
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("down"), List.of("seat.assigned")).get("endpointId");
        String poolId = buyPool(3);
        assign(poolId, "dee@example.com");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(endpointId, 0).path("status").asString().equals("failed"));
        JsonNode failed = delivery(endpointId, 0);
        assertThat(failed.path("attempts").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(failed.path("lastStatus").asInt()).isEqualTo(500);
        assertThat(failed.path("lastError").asString()).isEqualTo("HTTP 500");
        JsonNode endpoint = endpoint(endpointId);
        assertThat(endpoint.path("status").asString()).isEqualTo("disabled");
        assertThat(endpoint.path("disabledReason").asString()).contains("HTTP 500");

        // a disabled endpoint gets nothing new
        int before = receiver.received("down").size();
        assign(poolId, "eve@example.com");
        mode.set(204);
        String deliveryId = failed.path("deliveryId").asString();
        manager.post().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}/deliveries/{delivery}/redeliver", orgId, endpointId, deliveryId).exchange()
                .expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("down").stream().anyMatch(r -> r.status() == 204));
        assertThat(receiver.received("down").subList(before, receiver.received("down").size()))
                .first().extracting(r -> r.headers().get("webhook-id")).isEqualTo(deliveryId);
    }

    @Test
    void aSeatsMessagesArriveInOrderEvenWhenTheFirstNeedsRetries() {
        receiver.behave("ordered", attempt -> attempt <= 2 ? 500 : 204);
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("ordered"), List.of("seat.assigned", "seat.revoked")).get("endpointId");
        String poolId = buyPool(3);
        String seatId = (String) assign(poolId, "fay@example.com").get("seatId");
        manager.delete().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", orgId, poolId, seatId).exchange().expectStatus().isOk();

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("ordered").stream().filter(r -> r.status() == 204).count() == 2);
        List<String> types = receiver.received("ordered").stream().map(r -> JSON.readTree(r.body()).path("type").asString()).toList();
        assertThat(types).containsExactly("seat.assigned", "seat.assigned", "seat.assigned", "seat.revoked");
        assertThat(delivery(endpointId, 0).path("eventType").asString()).isEqualTo("seat.revoked");
    }

    @Test
    void aReplayOfTheProcessorDeliversNothing() {
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("replayed"), List.of("seat.assigned")).get("endpointId");
        String poolId = buyPool(3);
        assign(poolId, "gus@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("replayed").size() == 1);

        // as if the endpoint had been there from the start and the delivery had never been made: only the replay guard is left
        jdbc.update("delete from webhooks.deliveries where endpoint_id = ?", endpointId);
        jdbc.update("update webhooks.endpoints set from_position = 0 where endpoint_id = ?", endpointId);
        new Processors(processing, jdbc).replayFromTheStart(() -> {
        }, WebhookEvents.PROCESSOR);

        assertThat(jdbc.queryForObject("select count(*) from webhooks.deliveries where endpoint_id = ?", Integer.class, endpointId)).isZero();
        // the processor runs again after the replay: a new event is delivered
        assign(poolId, "hal@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("replayed").size() == 2);
        assertThat(receiver.received("replayed")).extracting(r -> JSON.readTree(r.body()).path("data").path("pending").asInt()).containsExactly(1, 2);
    }

    @Test
    void aHangingEndpointDoesNotDelayAnotherTenant() {
        // one tenant with three endpoints that hang (5 s, beyond the 1 s timeout of the test profile)
        List<String> names = List.of("hanging0", "hanging1", "hanging2");
        List<String> hanging = new ArrayList<>();
        for (String name : names) {
            receiver.behave(name, attempt -> -5000);
            hanging.add((String) createEndpoint(manager, orgId, receiver.url(name), List.of("seat.assigned")).get("endpointId"));
        }
        String poolId = buyPool(20);
        for (int i = 0; i < 12; i++) {
            assign(poolId, "seat" + i + "@example.com");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> names.stream().mapToInt(name -> receiver.arrivals(name).size()).sum() >= 4);

        OtherTenant other = otherTenant("prompt");
        long start = System.nanoTime();
        other.assign("ivy@example.com");

        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.received("prompt").size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        // two attempts at once per endpoint, four per organization: another starts only when one of them timed out
        await().atMost(Duration.ofSeconds(10)).until(() -> names.stream().mapToInt(name -> receiver.arrivals(name).size()).sum() >= 10);
        List<Long> all = new ArrayList<>();
        for (String name : names) {
            List<Long> arrivals = receiver.arrivals(name);
            all.addAll(arrivals);
            for (int i = 2; i < arrivals.size(); i++) {
                assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 2))).as("%s: attempts %d to %d", name, i - 2, i)
                        .isGreaterThan(Duration.ofMillis(800));
            }
        }
        all.sort(null);
        for (int i = 4; i < all.size(); i++) {
            assertThat(Duration.ofNanos(all.get(i) - all.get(i - 4))).as("the organization's attempts %d to %d", i - 4, i)
                    .isGreaterThan(Duration.ofMillis(800));
        }
        for (String endpointId : hanging) {
            manager.delete().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}", orgId, endpointId).exchange().expectStatus().isNoContent();
        }
    }

    @Test
    void eachAttemptIsASpanOfTheRequestsTraceAndSendsItToTheReceiverAlsoWhenRetriedOrRedelivered() {
        receiver.behave("traced", attempt -> attempt == 1 ? 500 : 204);
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("traced"), List.of("seat.assigned")).get("endpointId");
        String poolId = buyPool(3);
        String traceId = hex(16);
        manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                .header(TraceIds.HEADER, "00-" + traceId + "-" + hex(8) + "-01").bodyValue(Map.of("email", "tess@example.com"))
                .exchange().expectStatus().isCreated();

        // refused once (500), delivered at the retry: both attempts carry the request's trace, each its own span of it
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("traced").size() == 2);
        List<Received> attempts = receiver.received("traced");
        assertThat(attempts).extracting(Received::status).containsExactly(500, 204);
        assertThat(attempts).extracting(r -> r.headers().get(TraceIds.HEADER)).allMatch(header -> header.matches("00-" + traceId + "-[0-9a-f]{16}-01"))
                .doesNotHaveDuplicates();
        String stored = jdbc.queryForObject("select traceparent from webhooks.deliveries where endpoint_id = ?", String.class, endpointId);
        assertThat(stored).startsWith("00-" + traceId + "-");

        // the spans are children of the span that applied the event, and the receiver was given their own ids
        await().atMost(Duration.ofSeconds(5)).until(() -> webhookSpans(traceId).size() == 2);
        List<SpanData> spans = webhookSpans(traceId);
        assertThat(spans).extracting(SpanData::getKind).containsOnly(SpanKind.CLIENT);
        assertThat(spans).extracting(SpanData::getParentSpanId).containsOnly(stored.substring(36, 52));
        assertThat(spans).extracting(SpanData::getSpanId)
                .containsExactlyInAnyOrderElementsOf(attempts.stream().map(r -> r.headers().get(TraceIds.HEADER).substring(36, 52)).toList());

        // sent again later from a request of another trace: still the event's trace
        String deliveryId = attempts.get(0).headers().get("webhook-id");
        manager.post().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}/deliveries/{delivery}/redeliver", orgId, endpointId, deliveryId)
                .header(TraceIds.HEADER, "00-" + hex(16) + "-" + hex(8) + "-01").exchange().expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("traced").size() == 3);
        assertThat(receiver.received("traced").get(2).headers().get(TraceIds.HEADER)).startsWith("00-" + traceId + "-");
    }

    @Test
    void anEndpointsBacklogIsBoundedAndTheEventsNotQueuedAreCountedForItsOwnerAndForOperators() {
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("full"), List.of("seat.assigned")).get("endpointId");
        createEndpoint(manager, orgId, receiver.url("beside"), List.of("seat.assigned"));
        String poolId = buyPool(5);
        // a backlog as an endpoint down for long leaves it: as many pending deliveries as it may have, none due yet
        backlog(endpointId, properties.maxPendingPerEndpoint(), "now() + interval '1 hour'");
        double skippedBefore = meters.counter("seatledger.webhook.events.skipped").count();

        assign(poolId, "full1@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("beside").size() == 1);
        new Processors(processing, jdbc).awaitCaughtUp(WebhookEvents.PROCESSOR);
        JsonNode endpoint = endpoint(endpointId);
        assertThat(endpoint.path("status").asString()).isEqualTo("enabled");
        assertThat(endpoint.path("pendingDeliveries").asInt()).isEqualTo(properties.maxPendingPerEndpoint());
        assertThat(endpoint.path("skippedEvents").asLong()).isEqualTo(1);
        assertThat(endpoint.path("lastSkippedAt").asString()).isNotBlank();
        assertThat(pendingOf(endpointId)).isEqualTo(properties.maxPendingPerEndpoint());
        assertThat(meters.counter("seatledger.webhook.events.skipped").count()).isEqualTo(skippedBefore + 1);

        // one delivery of the backlog is made: there is room for the next event again
        jdbc.update("update webhooks.deliveries set next_attempt_at = now() where endpoint_id = ? and position = -1", endpointId);
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoint(endpointId).path("pendingDeliveries").asInt() == properties.maxPendingPerEndpoint() - 1);
        assign(poolId, "full2@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("full").stream()
                .anyMatch(r -> JSON.readTree(r.body()).path("type").asString().equals("seat.assigned")));
        assertThat(endpoint(endpointId).path("skippedEvents").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingOf(endpointId) == properties.maxPendingPerEndpoint() - 1);
        assertThat(endpoint(endpointId).path("pendingDeliveries").asInt()).isEqualTo(properties.maxPendingPerEndpoint() - 1);
    }

    @Test
    void aTenantsEndpointDownWithAFullBacklogDoesNotDelayAnotherTenantsDelivery() {
        receiver.behave("down", attempt -> -5000);
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("down"), List.of("seat.assigned")).get("endpointId");
        OtherTenant other = otherTenant("prompt");
        Duration pickWithout = medianPick();
        // every one of them due now, each the first of its seat
        backlog(endpointId, properties.maxPendingPerEndpoint(), "now()");
        assertThat(pick()).filteredOn(due -> due.endpointId().equals(endpointId)).hasSizeLessThanOrEqualTo(properties.maxInFlightPerEndpoint());
        // a picking pass does not read the backlog (one that read every due delivery took 30-60 ms more here)
        assertThat(medianPick()).isLessThan(pickWithout.multipliedBy(5).plusMillis(10));

        await().atMost(Duration.ofSeconds(3)).until(() -> !receiver.arrivals("down").isEmpty());

        long start = System.nanoTime();
        other.assign("una@example.com");
        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.received("prompt").size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void refusesUrlsOfPrivateAddressesWhenTheyAreNotAllowedAtCreationAndAtDelivery() {
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("private"), List.of("seat.assigned")).get("endpointId");
        // a name, not an address: only the HTTP client's resolver sees what it resolves to when connecting
        String byName = (String) createEndpoint(manager, orgId, "http://localhost:" + receiver.port() + "/private-name", List.of("seat.assigned"))
                .get("endpointId");
        urls.allowPrivateAddresses(false);
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:9000/",
                "http://localhost:" + receiver.port() + "/hook", "http://192.168.0.10/", "http://172.16.5.4/", "http://[fd00::1]/", "http://0.0.0.0/",
                "http://[::ffff:127.0.0.1]/", "ftp://example.com/hook", "file:///etc/passwd", "http://user:pass@example.com/", "not a url")) {
            JsonNode problem = Api.problem(manager.post().uri("/api/v1/orgs/{org}/webhook-endpoints", orgId).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("url", url, "events", List.of("seat.assigned"))).exchange(), 400, "WEBHOOK_URL_REFUSED");
            assertThat(problem.path("detail").asString()).as(url).isNotBlank();
        }
        // an endpoint registered while allowed is not connected to once its address is refused (the check runs on every attempt)
        String poolId = buyPool(2);
        assign(poolId, "jo@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(endpointId, 0).path("attempts").asInt() >= 1);
        assertThat(delivery(endpointId, 0).path("lastError").asString()).startsWith("refused");
        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(byName, 0).path("attempts").asInt() >= 1);
        assertThat(delivery(byName, 0).path("lastError").asString()).startsWith("refused").contains("127.0.0.1");
        assertThat(receiver.received("private")).isEmpty();
        assertThat(receiver.received("private-name")).isEmpty();
        assertThat(WebhookUrls.isPublic(InetAddress.getLoopbackAddress())).isFalse();
    }

    @Test
    void anotherTenantCannotSeeOrChangeEndpointsAndOnlyTheBillingManagerManagesThem() {
        String endpointId = (String) createEndpoint(manager, orgId, receiver.url("mine"), List.of("pool.resized")).get("endpointId");
        WebTestClient stranger = api.as("stranger-" + UUID.randomUUID(), Api.newOrgId(), "stranger@example.com");
        String base = "/api/v1/orgs/" + orgId + "/webhook-endpoints";
        Api.problem(stranger.get().uri(base).exchange(), 404, "NOT_FOUND");
        Api.problem(stranger.get().uri(base + "/" + endpointId).exchange(), 404, "NOT_FOUND");
        Api.problem(stranger.delete().uri(base + "/" + endpointId).exchange(), 404, "NOT_FOUND");
        Api.problem(stranger.post().uri(base + "/" + endpointId + "/rotate-secret").exchange(), 404, "NOT_FOUND");
        Api.problem(stranger.get().uri(base + "/" + endpointId + "/deliveries").exchange(), 404, "NOT_FOUND");
        Api.problem(stranger.post().uri(base + "/" + endpointId + "/deliveries/msg_x/redeliver").exchange(), 404, "NOT_FOUND");
        Api.problem(stranger.post().uri(base).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", receiver.url("theirs"), "events", List.of("seat.assigned"))).exchange(), 404, "NOT_FOUND");
        // the stranger's own organization does not name this endpoint either
        String strangersOrg = Api.newOrgId();
        WebTestClient strangerManager = api.as("sm-" + UUID.randomUUID(), strangersOrg, "sm@example.com");
        strangerManager.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "S " + strangersOrg)).exchange()
                .expectStatus().isCreated();
        strangerManager.get().uri("/api/v1/orgs/{org}", strangersOrg).exchange().expectStatus().isOk();
        Api.problem(strangerManager.get().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}", strangersOrg, endpointId).exchange(), 404, "NOT_FOUND");
        Api.problem(strangerManager.delete().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}", strangersOrg, endpointId).exchange(), 404, "NOT_FOUND");

        WebTestClient member = api.as("member-" + UUID.randomUUID(), orgId, "member@example.com");
        Api.problem(member.get().uri(base).exchange(), 403, "FORBIDDEN");
        Api.problem(member.delete().uri(base + "/" + endpointId).exchange(), 403, "FORBIDDEN");
        Api.problem(member.get().uri(base + "/" + endpointId).exchange(), 403, "FORBIDDEN");
        Api.problem(member.post().uri(base + "/" + endpointId + "/rotate-secret").exchange(), 403, "FORBIDDEN");
        Api.problem(member.get().uri(base + "/" + endpointId + "/deliveries").exchange(), 403, "FORBIDDEN");
        Api.problem(member.post().uri(base + "/" + endpointId + "/deliveries/msg_x/redeliver").exchange(), 403, "FORBIDDEN");
        Api.problem(member.post().uri(base).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", receiver.url("mine"), "events", List.of("seat.assigned"))).exchange(), 403, "FORBIDDEN");
        Api.problem(manager.get().uri(base + "/" + endpointId + "/deliveries?limit=0").exchange(), 400, "VALIDATION_FAILED");
        Api.problem(manager.get().uri(base + "/" + endpointId + "/deliveries?cursor=not-a-cursor").exchange(), 400, "VALIDATION_FAILED");

        manager.get().uri(base + "/" + endpointId).exchange().expectStatus().isOk();
        manager.delete().uri(base + "/" + endpointId).exchange().expectStatus().isNoContent();
        Api.problem(manager.get().uri(base + "/" + endpointId).exchange(), 404, "NOT_FOUND");
    }

    @Test
    void refusesUnknownEventsAndBoundsTheEndpointsOfAnOrganization() {
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/webhook-endpoints", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", receiver.url("x"), "events", List.of("seat.exploded"))).exchange(), 400, "VALIDATION_FAILED");
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/webhook-endpoints", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", receiver.url("x"), "events", List.of())).exchange(), 400, "VALIDATION_FAILED");
        for (int i = 0; i < 10; i++) {
            createEndpoint(manager, orgId, receiver.url("x" + i), List.of("seat.claimed"));
        }
        Api.problem(manager.post().uri("/api/v1/orgs/{org}/webhook-endpoints", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", receiver.url("x"), "events", List.of("seat.claimed"))).exchange(), 409, "WEBHOOK_ENDPOINT_LIMIT_REACHED");
    }

    // ---------------------------------------------------------------- helpers

    /** Another organization, its billing manager, an endpoint of theirs on the receiver and a pool of two seats. */
    private OtherTenant otherTenant(String receiverName) {
        String otherOrg = Api.newOrgId();
        WebTestClient other = api.as("manager-" + UUID.randomUUID(), otherOrg, "other@example.com");
        other.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Other " + otherOrg)).exchange()
                .expectStatus().isCreated();
        other.get().uri("/api/v1/orgs/{org}", otherOrg).exchange().expectStatus().isOk();
        createEndpoint(other, otherOrg, receiver.url(receiverName), List.of("seat.assigned"));
        Map<String, Object> pool = json(other.post().uri("/api/v1/orgs/{org}/seat-pools", otherOrg).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", 2, "interval", "month", "pricing", perSeat(1500))).exchange().expectStatus().isCreated());
        return new OtherTenant(otherOrg, other, (String) pool.get("poolId"));
    }

    record OtherTenant(String orgId, WebTestClient manager, String poolId) {
        void assign(String email) {
            manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", email)).exchange().expectStatus().isCreated();
        }
    }

    /**
     * Pending deliveries of made-up events (positions -1 to -{@code count}, below every real one; each of a seat of its own, with a body) to
     * the endpoint, next tried at {@code due} (SQL), counted as the processor counts them.
     */
    private void backlog(String endpointId, int count, String due) {
        jdbc.update("""
                insert into webhooks.deliveries (delivery_id, endpoint_id, org_id, position, rank, event_type, order_key, occurred_at, created_at, body,
                                                 next_attempt_at)
                select 'msg_backlog_' || n || '_' || e.endpoint_id, e.endpoint_id, e.org_id, -n, 0, 'seat.assigned', 'seat:backlog-' || n, now(), now(),
                       '{}', %s
                from webhooks.endpoints e, generate_series(1, ?) n where e.endpoint_id = ?""".formatted(due), count, endpointId);
        jdbc.update("update webhooks.endpoints set pending_deliveries = pending_deliveries + ? where endpoint_id = ?", count, endpointId);
    }

    private List<WebhookDeliveries.Due> pick() {
        return deliveries.due(clock.instant(), properties.maxInFlightPerEndpoint(), properties.maxInFlightPerOrganization(), properties.maxInFlight(),
                java.util.Set.of(), java.util.Set.of());
    }

    /** How long the sender's pick of due deliveries takes now: the median of seven. */
    private Duration medianPick() {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long start = System.nanoTime();
            pick();
            times.add(System.nanoTime() - start);
        }
        times.sort(null);
        return Duration.ofNanos(times.get(3));
    }

    /** The endpoint's pending deliveries, counted. */
    private int pendingOf(String endpointId) {
        return jdbc.queryForObject("select count(*) from webhooks.deliveries where endpoint_id = ? and status = 'pending'", Integer.class, endpointId);
    }

    private JsonNode endpoint(String endpointId) {
        return JSON.readTree(manager.get().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}", orgId, endpointId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private static List<SpanData> webhookSpans(String traceId) {
        return Spans.of(traceId).stream().filter(span -> span.getName().equals("webhook POST")).toList();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        new java.security.SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Standard Webhooks' verification, written out from the specification. */
    private static boolean verify(String secret, Received message) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        String signed = message.headers().get("webhook-id") + "." + message.headers().get("webhook-timestamp") + "." + message.body();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        for (String signature : message.headers().get("webhook-signature").split(" ")) {
            String[] parts = signature.split(",", 2);
            if (parts[0].equals("v1") && java.security.MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> createEndpoint(WebTestClient client, String org, String url, List<String> events) {
        return json(client.post().uri("/api/v1/orgs/{org}/webhook-endpoints", org).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", url, "events", events, "description", "test receiver")).exchange().expectStatus().isCreated());
    }

    /** The endpoint's {@code index}-th newest delivery (an empty node while there is none). */
    private JsonNode delivery(String endpointId, int index) {
        JsonNode page = JSON.readTree(manager.get().uri("/api/v1/orgs/{org}/webhook-endpoints/{id}/deliveries", orgId, endpointId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        return page.path("items").path(index);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody();
    }

    record Received(Map<String, String> headers, String body, int status) {
    }

    /**
     * An HTTP server on loopback: {@code /<name>} answers as its behaviour says for the n-th request (a status, or a
     * negative number of milliseconds to hang before answering 204), 204 by default.
     */
    static final class Receiver {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
        private final Map<String, IntFunction<Integer>> behaviours = new ConcurrentHashMap<>();
        private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(threads);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String name) {
            return "http://127.0.0.1:" + port() + "/" + name;
        }

        void behave(String name, IntFunction<Integer> behaviour) {
            behaviours.put(name, behaviour);
        }

        /** When each request arrived ({@link System#nanoTime}), in order. */
        List<Long> arrivals(String name) {
            return arrivals.getOrDefault(name, List.of()).stream().sorted().toList();
        }

        List<Received> received(String name) {
            return List.copyOf(received.getOrDefault(name, List.of()));
        }

        private void handle(HttpExchange exchange) throws IOException {
            String name = exchange.getRequestURI().getPath().substring(1);
            arrivals.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
            try {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((header, values) -> headers.put(header.toLowerCase(), values.get(0)));
                int attempt = counts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                int answer = behaviours.getOrDefault(name, n -> 204).apply(attempt);
                if (answer < 0) {
                    try {
                        Thread.sleep(-answer);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answer = 204;
                }
                received.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(new Received(headers, body, answer));
                exchange.sendResponseHeaders(answer, -1);
            } finally {
                exchange.close();
            }
        }

        void stop() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
