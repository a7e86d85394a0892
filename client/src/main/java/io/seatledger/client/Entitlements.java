package io.seatledger.client;

import io.seatledger.client.model.Entitlement;
import io.seatledger.client.model.Usage;

/** One organization's entitlement checks and seat usage over HTTP (for checks in process, see {@link EntitlementCache}). */
public final class Entitlements {

    private final Http http;
    private final String orgId;

    Entitlements(Http http, String orgId) {
        this.http = http;
        this.orgId = orgId;
    }

    /** Whether this user holds a claimed seat in a pool in service, and which seats. */
    public Entitlement of(String userId) {
        return http.send(Request.read(orgId, "/orgs/" + Request.segment(orgId) + "/entitlements/" + Request.segment(userId)), Entitlement.class);
    }

    public Usage usage() {
        return http.send(Request.read(orgId, "/orgs/" + Request.segment(orgId) + "/usage"), Usage.class);
    }
}
