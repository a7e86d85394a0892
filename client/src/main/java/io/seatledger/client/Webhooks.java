package io.seatledger.client;

import io.seatledger.client.model.Page;
import io.seatledger.client.model.WebhookDelivery;
import io.seatledger.client.model.WebhookEndpoint;
import tools.jackson.core.type.TypeReference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One organization's webhook endpoints (billing manager or admin): register, list, rotate the secret, watch and redeliver deliveries. */
public final class Webhooks {

    private static final TypeReference<Page<WebhookEndpoint>> ENDPOINTS = new TypeReference<>() {
    };
    private static final TypeReference<Page<WebhookDelivery>> DELIVERIES = new TypeReference<>() {
    };

    private final Http http;
    private final String orgId;
    private final String base;

    Webhooks(Http http, String orgId) {
        this.http = http;
        this.orgId = orgId;
        this.base = "/orgs/" + Request.segment(orgId) + "/webhook-endpoints";
    }

    /** Registers an endpoint for these live-stream event names; the answer holds its secret, shown only here. */
    public WebhookEndpoint create(String url, List<String> events, String description) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", url);
        body.put("events", events);
        body.put("description", description);
        return http.send(Request.command("POST", orgId, base, body), WebhookEndpoint.class);
    }

    public List<WebhookEndpoint> list() {
        return http.send(Request.read(orgId, base), ENDPOINTS).items();
    }

    public WebhookEndpoint get(String endpointId) {
        return http.send(Request.read(orgId, endpoint(endpointId)), WebhookEndpoint.class);
    }

    public void delete(String endpointId) {
        http.send(Request.command("DELETE", orgId, endpoint(endpointId), null), Void.class);
    }

    /** A new secret; the old one keeps signing beside it for a day, so receivers can switch without losing deliveries. */
    public WebhookEndpoint rotateSecret(String endpointId) {
        return http.send(Request.command("POST", orgId, endpoint(endpointId) + "/rotate-secret", null), WebhookEndpoint.class);
    }

    /** A page of the endpoint's deliveries, newest first; {@code cursor} is the previous page's {@code next}. */
    public Page<WebhookDelivery> deliveries(String endpointId, String cursor, Integer limit) {
        return http.send(Request.read(orgId, endpoint(endpointId) + "/deliveries").param("cursor", cursor).param("limit", limit), DELIVERIES);
    }

    /** Sends the delivery again now, re-enabling a disabled endpoint. */
    public WebhookDelivery redeliver(String endpointId, String deliveryId) {
        return http.send(Request.command("POST", orgId, endpoint(endpointId) + "/deliveries/" + Request.segment(deliveryId) + "/redeliver", null),
                WebhookDelivery.class);
    }

    private String endpoint(String endpointId) {
        return base + "/" + Request.segment(endpointId);
    }
}
