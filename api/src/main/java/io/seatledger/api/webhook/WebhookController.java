package io.seatledger.api.webhook;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Problem.FieldError;
import io.seatledger.api.http.RequestValues;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.query.feed.ChangeFeed;
import io.seatledger.query.organization.OrganizationReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code /orgs/{orgId}/webhook-endpoints}: an organization's outbound webhooks, for its billing manager (or an admin).
 * An endpoint receives the live feed's events it subscribes to; its secret is shown when it is made and when it is
 * rotated, never again. Another tenant's endpoints do not exist for the caller (404).
 */
@Tag(name = "Webhooks", description = "Outbound webhook endpoints and their deliveries")
@RestController
@RequestMapping("/api/v1/orgs/{orgId}/webhook-endpoints")
public class WebhookController {

    /** The event names an endpoint may subscribe to: the live stream's. */
    static final Set<String> EVENT_NAMES;

    static {
        Set<String> names = new TreeSet<>(ChangeFeed.EVENTS.values());
        names.add(ChangeFeed.THRESHOLD_EVENT);
        EVENT_NAMES = Set.copyOf(names);
    }

    static final int MAX_DESCRIPTION = 500;

    @Schema(name = "WebhookEndpointRequest")
    public record EndpointRequest(String url, List<String> events, String description) {
    }

    @Schema(name = "WebhookEndpointPage")
    public record EndpointPage(List<WebhookEndpoints.Endpoint> items, String next) {
    }

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;
    private final WebhookUrls urls;
    private final OrganizationReader organizations;
    private final Clock clock;

    public WebhookController(WebhookEndpoints endpoints, WebhookDeliveries deliveries, WebhookUrls urls, OrganizationReader organizations, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.urls = urls;
        this.organizations = organizations;
        this.clock = clock;
    }

    @Operation(operationId = "createWebhookEndpoint", summary = "Register a webhook endpoint (its secret is shown only in this answer)")
    @ApiStatuses(success = 201, problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.WEBHOOK_URL_REFUSED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND,
            ErrorCode.WEBHOOK_ENDPOINT_LIMIT_REACHED})
    @PostMapping(consumes = "application/json")
    public Mono<ResponseEntity<WebhookEndpoints.WithSecret>> create(@PathVariable String orgId, @RequestBody EndpointRequest request,
                                                                    @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        List<FieldError> errors = new ArrayList<>();
        if (request.events() == null || request.events().isEmpty()) {
            errors.add(new FieldError("events", "must name at least one event"));
        } else {
            Set<String> seen = new HashSet<>();
            for (String event : request.events()) {
                if (event == null || !EVENT_NAMES.contains(event)) {
                    errors.add(new FieldError("events", "must be names of live stream events: " + String.join(", ", new TreeSet<>(EVENT_NAMES))));
                    break;
                }
                if (!seen.add(event)) {
                    errors.add(new FieldError("events", "names " + event + " twice"));
                    break;
                }
            }
        }
        if (request.description() != null) {
            RequestValues.requirePlain(errors, "description", request.description());
            if (request.description().length() > MAX_DESCRIPTION) {
                errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
            }
        }
        if (request.url() == null) {
            errors.add(new FieldError("url", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        URI url = WebhookUrls.parse(request.url());
        List<String> events = List.copyOf(new TreeSet<>(request.events()));
        return authorized(caller, tenant)
                .then(blocking(() -> {
                    urls.check(url);
                    return endpoints.create(tenant, url.toString(), request.description(), events, caller.userId());
                }))
                .map(created -> ResponseEntity.created(URI.create("/api/v1/orgs/" + tenant + "/webhook-endpoints/" + created.endpointId())).body(created));
    }

    @Operation(operationId = "listWebhookEndpoints", summary = "List the organization's webhook endpoints")
    @ApiStatuses(problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping
    public Mono<EndpointPage> list(@PathVariable String orgId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return authorized(caller, tenant).then(blocking(() -> new EndpointPage(endpoints.list(tenant), null)));
    }

    @Operation(operationId = "getWebhookEndpoint", summary = "Read a webhook endpoint (without its secret)")
    @ApiStatuses(problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/{endpointId}")
    public Mono<WebhookEndpoints.Endpoint> endpoint(@PathVariable String orgId, @PathVariable String endpointId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return authorized(caller, tenant).then(blocking(() -> endpoints.find(tenant, endpointId).orElseThrow(WebhookController::noSuchEndpoint)));
    }

    @Operation(operationId = "deleteWebhookEndpoint", summary = "Delete a webhook endpoint; its pending deliveries are not sent")
    @ApiStatuses(success = 204, problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @DeleteMapping("/{endpointId}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String orgId, @PathVariable String endpointId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return authorized(caller, tenant).then(blocking(() -> {
            if (!endpoints.delete(tenant, endpointId)) {
                throw noSuchEndpoint();
            }
            return ResponseEntity.noContent().<Void>build();
        }));
    }

    @Operation(operationId = "rotateWebhookSecret", summary = "Give the endpoint a new secret (the old one signs beside it for a day)")
    @ApiStatuses(problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @PostMapping("/{endpointId}/rotate-secret")
    public Mono<WebhookEndpoints.WithSecret> rotate(@PathVariable String orgId, @PathVariable String endpointId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return authorized(caller, tenant).then(blocking(() -> endpoints.rotate(tenant, endpointId).orElseThrow(WebhookController::noSuchEndpoint)));
    }

    @Operation(operationId = "listWebhookDeliveries", summary = "List an endpoint's deliveries, newest first")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @GetMapping("/{endpointId}/deliveries")
    public Mono<WebhookDeliveries.Page> deliveries(@PathVariable String orgId, @PathVariable String endpointId,
                                                   @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                                                   @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 1000) {
            throw new InvalidRequest("limit", "must be between 1 and 1000");
        }
        Long after = cursor == null || cursor.isBlank() ? null : parseCursor(cursor);
        return authorized(caller, tenant).then(blocking(() -> {
            endpoints.find(tenant, endpointId).orElseThrow(WebhookController::noSuchEndpoint);
            return deliveries.list(tenant, endpointId, after, size);
        }));
    }

    /** Sends a delivery again now (re-enabling its endpoint if it was disabled); 202 with the delivery as it stands. */
    @Operation(operationId = "redeliverWebhook", summary = "Send a delivery again now, re-enabling its endpoint")
    @ApiStatuses(success = 202, problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @PostMapping("/{endpointId}/deliveries/{deliveryId}/redeliver")
    public Mono<ResponseEntity<WebhookDeliveries.Delivery>> redeliver(@PathVariable String orgId, @PathVariable String endpointId,
                                                                      @PathVariable String deliveryId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        return authorized(caller, tenant).then(blocking(() -> {
            if (!deliveries.redeliver(tenant, endpointId, deliveryId, clock.instant())) {
                throw new SeatLedgerException(ErrorCode.NOT_FOUND, "no such delivery");
            }
            endpoints.enable(tenant, endpointId);
            return ResponseEntity.accepted().body(deliveries.find(tenant, endpointId, deliveryId).orElseThrow());
        }));
    }

    private static Long parseCursor(String cursor) {
        if (!cursor.matches("\\d{1,18}")) {
            throw new InvalidRequest("cursor", "must be a next value this list returned");
        }
        return Long.parseLong(cursor);
    }

    private static SeatLedgerException noSuchEndpoint() {
        return new SeatLedgerException(ErrorCode.NOT_FOUND, "no such webhook endpoint");
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }

    /** Admins, and the organization's billing manager. */
    private Mono<Void> authorized(Caller caller, String tenant) {
        if (caller.has(Caller.ADMIN)) {
            return Mono.empty();
        }
        return organizations.organization(tenant)
                .filter(organization -> organization.billingManager() != null && caller.userId().equals(organization.billingManager().userId()))
                .switchIfEmpty(Mono.error(new SeatLedgerException(ErrorCode.FORBIDDEN, "only the billing manager or an admin may manage webhooks")))
                .then();
    }
}
