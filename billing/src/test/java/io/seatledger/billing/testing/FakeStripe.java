package io.seatledger.billing.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local, stateful stand-in for the Stripe API, speaking its wire format: form-encoded requests with
 * bracketed keys, bearer API keys, {@code Idempotency-Key}, JSON objects of Stripe's shapes (list envelopes,
 * subscriptions whose items carry the periods, subscription schedules whose next phase applies at renewal,
 * checkout sessions, prices with tiers, payment intents, charges with their refunds and disputes, events with
 * {@code previous_attributes}) and Stripe's error envelope. What a customer or the dashboard would do is
 * driven by methods; each returns the webhook deliveries Stripe would send, signed with the webhook secret.
 */
public final class FakeStripe implements AutoCloseable {

    public static final String API_KEY = "sk_test_fake";
    public static final String WEBHOOK_SECRET = "whsec_test_fake";
    public static final String API_VERSION = "2026-07-29.dahlia";

    /** A webhook call as Stripe makes it: the exact body and its {@code Stripe-Signature} header. */
    public record Delivery(String eventId, String type, String payload, String signature) {
    }

    /** A request the fake received. */
    public record Request(String method, String path, Map<String, String> params, String idempotencyKey) {
    }

    private record Failure(String method, String pathPrefix, int status, String type, String code) {
    }

    private record Kept(String paramsFingerprint, int status, String body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final AtomicLong ids = new AtomicLong(1000);
    private final Map<String, Map<String, Object>> prices = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> sessions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> schedules = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> paymentIntents = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> charges = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> disputes = new ConcurrentHashMap<>();
    /** Each subscription's invoices, oldest first, with the quantity each billed. */
    private final Map<String, List<Map<String, Object>>> invoices = new ConcurrentHashMap<>();
    private final Map<String, Kept> idempotent = new ConcurrentHashMap<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Instant now = Instant.now();

    public FakeStripe() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next {@code times} calls of this method to paths starting so answer with Stripe's error envelope. */
    public void failNext(String method, String pathPrefix, int status, String type, String code, int times) {
        for (int i = 0; i < times; i++) {
            failures.add(new Failure(method, pathPrefix, status, type, code));
        }
    }

    // ---------------------------------------------------------------- what customers and the dashboard do

    /** The customer pays the session: a customer, and for subscription mode an active subscription, come to be. */
    public synchronized List<Delivery> completeCheckout(String sessionId) {
        Map<String, Object> session = sessions.get(sessionId);
        String customer = "cus_" + next();
        session.put("customer", customer);
        session.put("status", "complete");
        session.put("payment_status", "paid");
        List<Delivery> deliveries = new ArrayList<>();
        if ("subscription".equals(session.get("mode"))) {
            Map<String, Object> subscription = newSubscription(session, customer);
            session.put("subscription", subscription.get("id"));
            billInvoice(subscription);
            deliveries.add(event("customer.subscription.created", copy(subscription), null));
            deliveries.add(event("invoice.paid", invoice(subscription), null));
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> line = ((List<Map<String, Object>>) session.get("line_items")).get(0);
            long amount = amountOf(prices.get((String) line.get("price")), ((Number) line.get("quantity")).intValue());
            @SuppressWarnings("unchecked")
            Map<String, Object> intent = pay(amount, (String) prices.get((String) line.get("price")).get("currency"), customer,
                    (Map<String, Object>) session.get("payment_intent_metadata"));
            session.put("payment_intent", intent.get("id"));
        }
        deliveries.add(0, event("checkout.session.completed", copy(session), null));
        return deliveries;
    }

    public synchronized List<Delivery> expireCheckout(String sessionId) {
        Map<String, Object> session = sessions.get(sessionId);
        session.put("status", "expired");
        return List.of(event("checkout.session.expired", copy(session), null));
    }

    public synchronized List<Delivery> changeQuantityInDashboard(String subscriptionId, int quantity) {
        Map<String, Object> item = item(subscriptionId);
        Object before = item.get("quantity");
        item.put("quantity", quantity);
        return List.of(event("customer.subscription.updated", copy(subscriptions.get(subscriptionId)),
                Map.of("items", Map.of("data", List.of(Map.of("id", item.get("id"), "quantity", before))))));
    }

    /** The quantity changes with no webhook at all (a lost delivery): only a reconciliation can notice. */
    public synchronized void changeQuantitySilently(String subscriptionId, int quantity) {
        item(subscriptionId).put("quantity", quantity);
    }

    public synchronized void setStatusSilently(String subscriptionId, String status) {
        subscriptions.get(subscriptionId).put("status", status);
    }

    public synchronized List<Delivery> failRenewalPayment(String subscriptionId) {
        Map<String, Object> subscription = subscriptions.get(subscriptionId);
        subscription.put("status", "past_due");
        return List.of(event("invoice.payment_failed", invoice(subscription), null),
                event("customer.subscription.updated", copy(subscription), Map.of("status", "active")));
    }

    /**
     * The period ends: the schedule's next phase (if any) sets the quantity and the schedule releases the subscription,
     * the periods move on, and the renewal invoice bills the quantity then and is paid.
     */
    @SuppressWarnings("unchecked")
    public synchronized List<Delivery> renew(String subscriptionId) {
        Map<String, Object> subscription = subscriptions.get(subscriptionId);
        Map<String, Object> item = item(subscriptionId);
        Object quantityBefore = item.get("quantity");
        long periodEnd = ((Number) item.get("current_period_end")).longValue();
        String scheduleId = (String) subscription.get("schedule");
        if (scheduleId != null) {
            Map<String, Object> schedule = schedules.get(scheduleId);
            List<Map<String, Object>> phases = (List<Map<String, Object>>) schedule.get("phases");
            if (phases.size() > 1) {
                item.put("quantity", ((List<Map<String, Object>>) phases.get(1).get("items")).get(0).get("quantity"));
            }
            release(schedule);
        }
        Map<String, Object> price = (Map<String, Object>) item.get("price");
        String interval = (String) ((Map<String, Object>) price.get("recurring")).get("interval");
        Instant start = Instant.ofEpochSecond(periodEnd);
        long end = ("year".equals(interval) ? start.atZone(ZoneOffset.UTC).plusYears(1) : start.atZone(ZoneOffset.UTC).plusMonths(1)).toEpochSecond();
        item.put("current_period_start", periodEnd);
        item.put("current_period_end", end);
        subscription.put("latest_invoice", "in_" + next());
        billInvoice(subscription);
        return List.of(event("invoice.paid", invoice(subscription), null),
                event("customer.subscription.updated", copy(subscription), Map.of("items", Map.of("data", List.of(Map.of("id", item.get("id"),
                        "quantity", quantityBefore, "current_period_end", periodEnd))))));
    }

    /** Stripe's retries of the renewal are exhausted: the subscription is {@code unpaid} (it keeps existing). */
    public synchronized List<Delivery> markUnpaid(String subscriptionId) {
        Map<String, Object> subscription = subscriptions.get(subscriptionId);
        Object before = subscription.get("status");
        subscription.put("status", "unpaid");
        return List.of(event("customer.subscription.updated", copy(subscription), Map.of("status", before)));
    }

    /** The customer pays the open invoice after all: the subscription is active again. */
    public synchronized List<Delivery> payOpenInvoice(String subscriptionId) {
        Map<String, Object> subscription = subscriptions.get(subscriptionId);
        Object before = subscription.get("status");
        subscription.put("status", "active");
        return List.of(event("invoice.paid", invoice(subscription), null),
                event("customer.subscription.updated", copy(subscription), Map.of("status", before)));
    }

    /** The quantities billed by the subscription's invoices, oldest first. */
    public synchronized List<Integer> invoicedQuantities(String subscriptionId) {
        return invoices.getOrDefault(subscriptionId, List.of()).stream().map(invoice -> ((Number) invoice.get("quantity")).intValue()).toList();
    }

    /** The charge that paid the subscription's latest invoice. */
    public synchronized String latestChargeOf(String subscriptionId) {
        List<Map<String, Object>> billed = invoices.get(subscriptionId);
        return (String) billed.get(billed.size() - 1).get("charge");
    }

    /** The charge that paid a payment-mode checkout (an order). */
    public synchronized String chargeOfSession(String sessionId) {
        return (String) paymentIntents.get((String) sessions.get(sessionId).get("payment_intent")).get("latest_charge");
    }

    public synchronized Map<String, Object> scheduleOf(String subscriptionId) {
        String scheduleId = (String) subscriptions.get(subscriptionId).get("schedule");
        return scheduleId == null ? null : copy(schedules.get(scheduleId));
    }

    /** A refund of {@code amount} of the charge (made in the dashboard): Stripe sends {@code charge.refunded} with the charge. */
    public synchronized List<Delivery> refund(String chargeId, long amount) {
        Map<String, Object> charge = charges.get(chargeId);
        long before = ((Number) charge.get("amount_refunded")).longValue();
        long refunded = Math.min(((Number) charge.get("amount")).longValue(), before + amount);
        charge.put("amount_refunded", refunded);
        charge.put("refunded", refunded == ((Number) charge.get("amount")).longValue());
        return List.of(event("charge.refunded", copy(charge), Map.of("amount_refunded", before, "refunded", false)));
    }

    /** The cardholder's bank opens a dispute over the charge. */
    public synchronized List<Delivery> openDispute(String chargeId) {
        Map<String, Object> charge = charges.get(chargeId);
        Map<String, Object> dispute = new LinkedHashMap<>();
        String id = "dp_" + next();
        dispute.put("id", id);
        dispute.put("object", "dispute");
        dispute.put("amount", charge.get("amount"));
        dispute.put("charge", chargeId);
        dispute.put("created", now.getEpochSecond());
        dispute.put("currency", charge.get("currency"));
        dispute.put("is_charge_refundable", false);
        dispute.put("livemode", false);
        dispute.put("metadata", Map.of());
        dispute.put("payment_intent", charge.get("payment_intent"));
        dispute.put("reason", "fraudulent");
        dispute.put("status", "needs_response");
        disputes.put(id, dispute);
        charge.put("disputed", true);
        return List.of(event("charge.dispute.created", copy(dispute), null));
    }

    /** The bank decides the dispute: Stripe sends {@code charge.dispute.closed} with status won or lost. */
    public synchronized List<Delivery> closeDispute(String disputeId, boolean won) {
        Map<String, Object> dispute = disputes.get(disputeId);
        Object before = dispute.get("status");
        dispute.put("status", won ? "won" : "lost");
        return List.of(event("charge.dispute.closed", copy(dispute), Map.of("status", before)));
    }

    public synchronized List<Delivery> cancelInDashboard(String subscriptionId) {
        Map<String, Object> subscription = subscriptions.get(subscriptionId);
        subscription.put("status", "canceled");
        subscription.put("canceled_at", now.getEpochSecond());
        return List.of(event("customer.subscription.deleted", copy(subscription), null));
    }

    /** A tiered price made in the dashboard: up to 10 at 900, then 700 with a flat 1000. */
    public synchronized String createTieredPrice(String currency, String tiersMode, String interval) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("currency", currency);
        params.put("billing_scheme", "tiered");
        params.put("tiers_mode", tiersMode);
        params.put("recurring[interval]", interval);
        params.put("tiers[0][up_to]", "10");
        params.put("tiers[0][unit_amount]", "900");
        params.put("tiers[1][up_to]", "inf");
        params.put("tiers[1][unit_amount]", "700");
        params.put("tiers[1][flat_amount]", "1000");
        return (String) createPrice(params).get("id");
    }

    /** A subscription Stripe has that no pool knows (created in the dashboard). */
    public synchronized String createUnknownSubscription(int quantity) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("metadata", Map.of());
        session.put("line_items", List.of(Map.of("price", anyPrice(), "quantity", quantity)));
        return (String) newSubscription(session, "cus_" + next()).get("id");
    }

    /** Stripe forgets a subscription altogether (another account, a test clock deleted). */
    public synchronized void forget(String subscriptionId) {
        subscriptions.remove(subscriptionId);
    }

    public synchronized Map<String, Object> subscription(String subscriptionId) {
        return copy(subscriptions.get(subscriptionId));
    }

    public synchronized int quantityOf(String subscriptionId) {
        return ((Number) item(subscriptionId).get("quantity")).intValue();
    }

    /**
     * Sends the deliveries to a webhook endpoint as Stripe does, over HTTP, each {@code copies} times and in
     * the order {@code random} shuffles them to (Stripe retries and never promises an order). Returns the
     * HTTP statuses answered.
     */
    public List<Integer> send(String endpoint, List<Delivery> deliveries, int copies, java.util.Random random) {
        List<Delivery> sent = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            for (int i = 0; i < copies; i++) {
                sent.add(delivery);
            }
        }
        java.util.Collections.shuffle(sent, random);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<Integer> statuses = new ArrayList<>();
        for (Delivery delivery : sent) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", delivery.signature())
                    .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(delivery.payload()))
                    .build();
            try {
                statuses.add(http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return statuses;
    }

    // ---------------------------------------------------------------- objects

    private Map<String, Object> newSubscription(Map<String, Object> session, String customer) {
        String id = "sub_" + next();
        @SuppressWarnings("unchecked")
        Map<String, Object> line = ((List<Map<String, Object>>) session.get("line_items")).get(0);
        Map<String, Object> price = prices.get((String) line.get("price"));
        @SuppressWarnings("unchecked")
        String interval = (String) ((Map<String, Object>) price.get("recurring")).get("interval");
        long start = now.getEpochSecond();
        long end = ("year".equals(interval) ? now.atZone(ZoneOffset.UTC).plusYears(1) : now.atZone(ZoneOffset.UTC).plusMonths(1)).toEpochSecond();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", "si_" + next());
        item.put("object", "subscription_item");
        item.put("created", start);
        item.put("current_period_start", start);
        item.put("current_period_end", end);
        item.put("metadata", Map.of());
        item.put("price", price);
        item.put("quantity", ((Number) line.get("quantity")).intValue());
        item.put("subscription", id);
        Map<String, Object> subscription = new LinkedHashMap<>();
        subscription.put("id", id);
        subscription.put("object", "subscription");
        subscription.put("billing_cycle_anchor", start);
        subscription.put("cancel_at", null);
        subscription.put("cancel_at_period_end", false);
        subscription.put("canceled_at", null);
        subscription.put("collection_method", "charge_automatically");
        subscription.put("created", start);
        subscription.put("currency", price.get("currency"));
        subscription.put("customer", customer);
        subscription.put("items", Map.of("object", "list", "data", List.of(item), "has_more", false, "total_count", 1,
                "url", "/v1/subscription_items?subscription=" + id));
        subscription.put("latest_invoice", "in_" + next());
        subscription.put("livemode", false);
        subscription.put("metadata", session.getOrDefault("subscription_metadata", Map.of()));
        subscription.put("schedule", null);
        subscription.put("start_date", start);
        subscription.put("status", "active");
        subscriptions.put(id, subscription);
        return subscription;
    }

    private Map<String, Object> invoice(Map<String, Object> subscription) {
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", subscription.get("latest_invoice"));
        invoice.put("object", "invoice");
        invoice.put("customer", subscription.get("customer"));
        invoice.put("status", "past_due".equals(subscription.get("status")) ? "open" : "paid");
        invoice.put("parent", Map.of("type", "subscription_details",
                "subscription_details", Map.of("subscription", subscription.get("id"), "metadata", subscription.get("metadata"))));
        return invoice;
    }

    /** The subscription's latest invoice is billed at its item's quantity now and paid by a new charge. */
    @SuppressWarnings("unchecked")
    private void billInvoice(Map<String, Object> subscription) {
        Map<String, Object> item = item((String) subscription.get("id"));
        int quantity = ((Number) item.get("quantity")).intValue();
        Map<String, Object> intent = pay(amountOf((Map<String, Object>) item.get("price"), quantity), (String) subscription.get("currency"),
                (String) subscription.get("customer"), Map.of());
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", subscription.get("latest_invoice"));
        invoice.put("quantity", quantity);
        invoice.put("charge", intent.get("latest_charge"));
        invoices.computeIfAbsent((String) subscription.get("id"), id -> new CopyOnWriteArrayList<>()).add(invoice);
    }

    /** A payment intent that succeeded at once, with its charge. */
    private Map<String, Object> pay(long amount, String currency, String customer, Map<String, Object> metadata) {
        Map<String, Object> intent = new LinkedHashMap<>();
        String intentId = "pi_" + next();
        String chargeId = "ch_" + next();
        intent.put("id", intentId);
        intent.put("object", "payment_intent");
        intent.put("amount", amount);
        intent.put("amount_received", amount);
        intent.put("currency", currency);
        intent.put("customer", customer);
        intent.put("latest_charge", chargeId);
        intent.put("livemode", false);
        intent.put("metadata", metadata == null ? Map.of() : metadata);
        intent.put("status", "succeeded");
        paymentIntents.put(intentId, intent);
        Map<String, Object> charge = new LinkedHashMap<>();
        charge.put("id", chargeId);
        charge.put("object", "charge");
        charge.put("amount", amount);
        charge.put("amount_captured", amount);
        charge.put("amount_refunded", 0L);
        charge.put("captured", true);
        charge.put("created", now.getEpochSecond());
        charge.put("currency", currency);
        charge.put("customer", customer);
        charge.put("disputed", false);
        charge.put("livemode", false);
        charge.put("metadata", Map.of());
        charge.put("paid", true);
        charge.put("payment_intent", intentId);
        charge.put("refunded", false);
        charge.put("status", "succeeded");
        charges.put(chargeId, charge);
        return intent;
    }

    /** What the price asks for {@code quantity} (a tiered price: its first tier's unit amount, enough for a stand-in). */
    @SuppressWarnings("unchecked")
    private static long amountOf(Map<String, Object> price, int quantity) {
        Object unit = price.get("unit_amount");
        if (unit == null && price.get("tiers") != null) {
            unit = ((List<Map<String, Object>>) price.get("tiers")).get(0).get("unit_amount");
        }
        return (unit == null ? 0 : ((Number) unit).longValue()) * quantity;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> createSchedule(Map<String, String> params) {
        Map<String, Object> subscription = subscriptions.get(params.get("from_subscription"));
        if (subscription == null) {
            throw new IllegalArgumentException("No such subscription");
        }
        if (subscription.get("schedule") != null) {
            throw new IllegalStateException("You cannot migrate a subscription that is already attached to a schedule");
        }
        Map<String, Object> item = item((String) subscription.get("id"));
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("start_date", item.get("current_period_start"));
        phase.put("end_date", item.get("current_period_end"));
        phase.put("items", List.of(Map.of("price", ((Map<String, Object>) item.get("price")).get("id"), "quantity", item.get("quantity"))));
        phase.put("proration_behavior", "create_prorations");
        Map<String, Object> schedule = new LinkedHashMap<>();
        String id = "sub_sched_" + next();
        schedule.put("id", id);
        schedule.put("object", "subscription_schedule");
        schedule.put("created", now.getEpochSecond());
        schedule.put("current_phase", Map.of("start_date", phase.get("start_date"), "end_date", phase.get("end_date")));
        schedule.put("customer", subscription.get("customer"));
        schedule.put("end_behavior", "release");
        schedule.put("livemode", false);
        schedule.put("metadata", Map.of());
        schedule.put("phases", new ArrayList<>(List.of(phase)));
        schedule.put("released_subscription", null);
        schedule.put("status", "active");
        schedule.put("subscription", subscription.get("id"));
        schedules.put(id, schedule);
        subscription.put("schedule", id);
        return schedule;
    }

    /** Phases replace the schedule's; the current phase must keep its start, as Stripe requires. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> updateSchedule(Map<String, Object> schedule, Map<String, String> params) {
        if (!"active".equals(schedule.get("status")) && !"not_started".equals(schedule.get("status"))) {
            throw new IllegalStateException("You cannot update a subscription schedule that is currently in the `released` status");
        }
        if (params.containsKey("phases[0][items][0][price]")) {
            Object currentStart = ((Map<String, Object>) schedule.get("current_phase")).get("start_date");
            if (!String.valueOf(currentStart).equals(params.get("phases[0][start_date]"))) {
                throw new IllegalArgumentException("The current phase's start_date cannot be changed");
            }
            List<Map<String, Object>> phases = new ArrayList<>();
            long previousEnd = 0;
            for (int i = 0; params.containsKey("phases[" + i + "][items][0][price]"); i++) {
                String at = "phases[" + i + "]";
                Map<String, Object> phase = new LinkedHashMap<>();
                long start = params.containsKey(at + "[start_date]") ? Long.parseLong(params.get(at + "[start_date]")) : previousEnd;
                long end;
                if (params.containsKey(at + "[end_date]")) {
                    end = Long.parseLong(params.get(at + "[end_date]"));
                } else {
                    String unit = params.get(at + "[duration][interval]");
                    long count = Long.parseLong(params.getOrDefault(at + "[duration][interval_count]", "1"));
                    var from = Instant.ofEpochSecond(start).atZone(ZoneOffset.UTC);
                    end = ("year".equals(unit) ? from.plusYears(count) : from.plusMonths(count)).toEpochSecond();
                }
                phase.put("start_date", start);
                phase.put("end_date", end);
                phase.put("items", List.of(Map.of("price", params.get(at + "[items][0][price]"),
                        "quantity", Integer.parseInt(params.get(at + "[items][0][quantity]")))));
                phase.put("proration_behavior", params.getOrDefault("proration_behavior", "create_prorations"));
                phases.add(phase);
                previousEnd = end;
            }
            schedule.put("phases", phases);
        }
        if (params.containsKey("end_behavior")) {
            schedule.put("end_behavior", params.get("end_behavior"));
        }
        return schedule;
    }

    private Map<String, Object> release(Map<String, Object> schedule) {
        Map<String, Object> subscription = subscriptions.get((String) schedule.get("subscription"));
        if (subscription != null) {
            subscription.put("schedule", null);
        }
        schedule.put("status", "released");
        schedule.put("released_at", now.getEpochSecond());
        schedule.put("released_subscription", schedule.get("subscription"));
        schedule.put("subscription", null);
        return schedule;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> item(String subscriptionId) {
        Map<String, Object> items = (Map<String, Object>) subscriptions.get(subscriptionId).get("items");
        return ((List<Map<String, Object>>) items.get("data")).get(0);
    }

    private String anyPrice() {
        Map<String, String> params = new LinkedHashMap<>(Map.of("currency", "eur", "unit_amount", "1000", "recurring[interval]", "month"));
        return (String) createPrice(params).get("id");
    }

    // ---------------------------------------------------------------- the API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = form(method.equals("GET") || method.equals("DELETE") && body.isEmpty()
                    ? exchange.getRequestURI().getRawQuery() : body);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            requests.add(new Request(method, path, params, key));
            if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, error("invalid_request_error", null, "Invalid API Key provided"));
                return;
            }
            for (Failure failure : failures) {
                if (failure.method().equals(method) && path.startsWith(failure.pathPrefix()) && failures.remove(failure)) {
                    respond(exchange, failure.status(), error(failure.type(), failure.code(), "injected failure"));
                    return;
                }
            }
            if (key != null && !method.equals("GET")) {
                String fingerprint = method + " " + path + " " + new java.util.TreeMap<>(params);
                Kept kept = idempotent.get(key);
                if (kept != null) {
                    if (!kept.paramsFingerprint().equals(fingerprint)) {
                        respond(exchange, 400, error("idempotency_error", null, "Keys for idempotent requests can only be used with the same parameters"));
                        return;
                    }
                    exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
                    respond(exchange, kept.status(), kept.body());
                    return;
                }
                Answer answer = route(method, path, params);
                idempotent.put(key, new Kept(fingerprint, answer.status(), answer.body()));
                respond(exchange, answer.status(), answer.body());
                return;
            }
            Answer answer = route(method, path, params);
            respond(exchange, answer.status(), answer.body());
        }
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer route(String method, String path, Map<String, String> params) {
        String[] parts = path.split("/");
        try {
            if (method.equals("POST") && path.equals("/v1/prices")) {
                return ok(createPrice(params));
            }
            if (method.equals("GET") && path.startsWith("/v1/prices/")) {
                return found(prices.get(parts[3]), "price", parts[3]);
            }
            if (method.equals("POST") && path.equals("/v1/checkout/sessions")) {
                return ok(createSession(params));
            }
            if (method.equals("GET") && path.startsWith("/v1/checkout/sessions/")) {
                return found(sessionView(sessions.get(parts[4])), "checkout.session", parts[4]);
            }
            if (method.equals("GET") && path.equals("/v1/subscriptions")) {
                return ok(listSubscriptions(params));
            }
            if (method.equals("GET") && path.startsWith("/v1/subscriptions/")) {
                return found(subscriptions.get(parts[3]), "subscription", parts[3]);
            }
            if (method.equals("POST") && path.startsWith("/v1/subscriptions/")) {
                Map<String, Object> subscription = subscriptions.get(parts[3]);
                if (subscription == null) {
                    return missing("subscription", parts[3]);
                }
                if (params.containsKey("cancel_at_period_end")) {
                    subscription.put("cancel_at_period_end", Boolean.parseBoolean(params.get("cancel_at_period_end")));
                }
                return ok(subscription);
            }
            if (method.equals("DELETE") && path.startsWith("/v1/subscriptions/")) {
                Map<String, Object> subscription = subscriptions.get(parts[3]);
                if (subscription == null) {
                    return missing("subscription", parts[3]);
                }
                subscription.put("status", "canceled");
                subscription.put("canceled_at", now.getEpochSecond());
                return ok(subscription);
            }
            if (method.equals("POST") && path.equals("/v1/subscription_schedules")) {
                return ok(createSchedule(params));
            }
            if (path.startsWith("/v1/subscription_schedules/")) {
                Map<String, Object> schedule = schedules.get(parts[3]);
                if (schedule == null) {
                    return missing("subscription_schedule", parts[3]);
                }
                if (method.equals("GET")) {
                    return ok(schedule);
                }
                if (method.equals("POST") && parts.length == 5 && parts[4].equals("release")) {
                    if (!"active".equals(schedule.get("status"))) {
                        return new Answer(400, error("invalid_request_error", null, "You cannot release a subscription schedule that is not active"));
                    }
                    return ok(release(schedule));
                }
                if (method.equals("POST")) {
                    return ok(updateSchedule(schedule, params));
                }
            }
            if (method.equals("GET") && path.startsWith("/v1/charges/")) {
                return found(charges.get(parts[3]), "charge", parts[3]);
            }
            if (method.equals("GET") && path.startsWith("/v1/disputes/")) {
                return found(disputes.get(parts[3]), "dispute", parts[3]);
            }
            if (method.equals("GET") && path.startsWith("/v1/payment_intents/")) {
                return found(paymentIntents.get(parts[3]), "payment_intent", parts[3]);
            }
            if (method.equals("POST") && path.startsWith("/v1/subscription_items/")) {
                for (Map<String, Object> subscription : subscriptions.values()) {
                    Map<String, Object> item = item((String) subscription.get("id"));
                    if (item.get("id").equals(parts[3])) {
                        if (params.containsKey("quantity")) {
                            item.put("quantity", Integer.parseInt(params.get("quantity")));
                        }
                        return ok(item);
                    }
                }
                return missing("subscription_item", parts[3]);
            }
            return new Answer(404, error("invalid_request_error", null, "Unrecognized request URL (" + method + ": " + path + ")"));
        } catch (RuntimeException e) {
            return new Answer(400, error("invalid_request_error", "parameter_invalid", e.getClass().getSimpleName()));
        }
    }

    private Map<String, Object> createPrice(Map<String, String> params) {
        Map<String, Object> price = new LinkedHashMap<>();
        String id = "price_" + next();
        price.put("id", id);
        price.put("object", "price");
        price.put("active", true);
        String scheme = params.getOrDefault("billing_scheme", "per_unit");
        price.put("billing_scheme", scheme);
        price.put("currency", params.get("currency"));
        price.put("livemode", false);
        price.put("product", "prod_" + next());
        price.put("recurring", params.containsKey("recurring[interval]")
                ? Map.of("interval", params.get("recurring[interval]"), "interval_count", 1, "usage_type", "licensed") : null);
        price.put("tiers_mode", params.get("tiers_mode"));
        price.put("type", params.containsKey("recurring[interval]") ? "recurring" : "one_time");
        price.put("unit_amount", params.containsKey("unit_amount") ? Long.parseLong(params.get("unit_amount")) : null);
        if ("tiered".equals(scheme)) {
            List<Map<String, Object>> tiers = new ArrayList<>();
            for (int i = 0; params.containsKey("tiers[" + i + "][up_to]"); i++) {
                Map<String, Object> tier = new LinkedHashMap<>();
                String upTo = params.get("tiers[" + i + "][up_to]");
                tier.put("up_to", "inf".equals(upTo) ? null : Long.parseLong(upTo));
                tier.put("unit_amount", Long.parseLong(params.getOrDefault("tiers[" + i + "][unit_amount]", "0")));
                tier.put("flat_amount", params.containsKey("tiers[" + i + "][flat_amount]") ? Long.parseLong(params.get("tiers[" + i + "][flat_amount]")) : null);
                tiers.add(tier);
            }
            price.put("tiers", tiers);
        }
        prices.put(id, price);
        return price;
    }

    private Map<String, Object> createSession(Map<String, String> params) {
        String price = params.get("line_items[0][price]");
        if (price == null || !prices.containsKey(price)) {
            throw new IllegalArgumentException("No such price");
        }
        Map<String, Object> session = new LinkedHashMap<>();
        String id = "cs_test_" + next();
        session.put("id", id);
        session.put("object", "checkout.session");
        session.put("cancel_url", params.get("cancel_url"));
        session.put("client_reference_id", params.get("client_reference_id"));
        session.put("created", now.getEpochSecond());
        session.put("customer", null);
        session.put("expires_at", now.plusSeconds(86_400).getEpochSecond());
        session.put("livemode", false);
        session.put("metadata", prefixed(params, "metadata"));
        session.put("mode", params.get("mode"));
        session.put("payment_status", "unpaid");
        session.put("status", "open");
        session.put("subscription", null);
        session.put("success_url", params.get("success_url"));
        session.put("url", "https://checkout.stripe.com/c/pay/" + id);
        session.put("line_items", List.of(Map.of("price", price, "quantity", Integer.parseInt(params.get("line_items[0][quantity]")))));
        session.put("subscription_metadata", prefixed(params, "subscription_data[metadata]"));
        session.put("payment_intent_metadata", prefixed(params, "payment_intent_data[metadata]"));
        session.put("payment_intent", null);
        sessions.put(id, session);
        return sessionView(session);
    }

    /** A session as Stripe shows it (line items and the subscription's future metadata are not part of the object). */
    private static Map<String, Object> sessionView(Map<String, Object> session) {
        if (session == null) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>(session);
        view.remove("line_items");
        view.remove("subscription_metadata");
        view.remove("payment_intent_metadata");
        return view;
    }

    private Map<String, Object> listSubscriptions(Map<String, String> params) {
        int limit = Integer.parseInt(params.getOrDefault("limit", "10"));
        String after = params.get("starting_after");
        List<Map<String, Object>> all = subscriptions.values().stream()
                .sorted(java.util.Comparator.comparing(subscription -> (String) subscription.get("id"))).toList();
        int from = 0;
        if (after != null) {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).get("id").equals(after)) {
                    from = i + 1;
                }
            }
        }
        List<Map<String, Object>> page = all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", page);
        list.put("has_more", from + limit < all.size());
        list.put("url", "/v1/subscriptions");
        return list;
    }

    // ---------------------------------------------------------------- events and signatures

    private Delivery event(String type, Map<String, Object> object, Map<String, Object> previousAttributes) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", object);
        if (previousAttributes != null) {
            data.put("previous_attributes", previousAttributes);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        String id = "evt_" + next();
        event.put("id", id);
        event.put("object", "event");
        event.put("api_version", API_VERSION);
        event.put("created", now.getEpochSecond());
        event.put("data", data);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("request", Map.of("id", "req_" + next()));
        event.put("type", type);
        String payload = JSON.writeValueAsString(event);
        return new Delivery(id, type, payload, sign(payload, Instant.now().getEpochSecond(), WEBHOOK_SECRET));
    }

    /** Stripe's scheme: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">}. */
    public static String sign(String payload, long timestamp, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- wire format

    private static Map<String, String> form(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static Map<String, Object> prefixed(Map<String, String> params, String prefix) {
        Map<String, Object> values = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            if (key.startsWith(prefix + "[") && key.endsWith("]") && key.indexOf('[', prefix.length() + 1) < 0) {
                values.put(key.substring(prefix.length() + 1, key.length() - 1), value);
            }
        });
        return values;
    }

    private static Answer ok(Map<String, Object> object) {
        return new Answer(200, JSON.writeValueAsString(object));
    }

    private static Answer found(Map<String, Object> object, String type, String id) {
        return object == null ? missing(type, id) : ok(object);
    }

    private static Answer missing(String type, String id) {
        return new Answer(404, error("invalid_request_error", "resource_missing", "No such " + type + ": '" + id + "'"));
    }

    private static String error(String type, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
        }
        error.put("message", message);
        return JSON.writeValueAsString(Map.of("error", error));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, Object> copy(Map<String, Object> object) {
        return JSON.readValue(JSON.writeValueAsString(object), new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
        });
    }

    private long next() {
        return ids.incrementAndGet();
    }
}
