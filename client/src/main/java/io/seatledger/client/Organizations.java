package io.seatledger.client;

import io.seatledger.client.model.BillingManager;
import io.seatledger.client.model.Organization;

import java.util.Map;

/** Organizations: the caller's own (created with the caller as billing manager), read, its billing manager handed on. */
public final class Organizations {

    private final Http http;

    Organizations(Http http) {
        this.http = http;
    }

    /** Creates the caller's organization (its token's {@code org}); repeating it answers the same organization. */
    public Organization create(String name) {
        return http.send(Request.command("POST", null, "/orgs", Map.of("name", name)), Organization.class);
    }

    public Organization get(String orgId) {
        return http.send(Request.read(orgId, "/orgs/" + Request.segment(orgId)), Organization.class);
    }

    public Organization appointBillingManager(String orgId, BillingManager manager) {
        return http.send(Request.command("PUT", orgId, "/orgs/" + Request.segment(orgId) + "/billing-manager", manager), Organization.class);
    }
}
