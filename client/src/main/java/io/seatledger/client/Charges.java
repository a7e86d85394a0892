package io.seatledger.client;

import io.seatledger.client.model.Charge;
import io.seatledger.client.model.Page;
import tools.jackson.core.type.TypeReference;

import java.time.Instant;

/** One organization's charges (billing manager, admins and service callers): per pool, or over a time range. */
public final class Charges {

    private static final TypeReference<Page<Charge>> PAGE = new TypeReference<>() {
    };

    private final Http http;
    private final String orgId;

    Charges(Http http, String orgId) {
        this.http = http;
        this.orgId = orgId;
    }

    /** A page of the organization's charges that occurred in [{@code from}, {@code to}) (either may be null); {@code cursor} is the previous page's {@code next}. */
    public Page<Charge> between(Instant from, Instant to, String cursor, Integer limit) {
        return http.send(Request.read(orgId, "/orgs/" + Request.segment(orgId) + "/charges")
                .param("from", from).param("to", to).param("cursor", cursor).param("limit", limit), PAGE);
    }

    /** A page of one pool's charges. */
    public Page<Charge> ofPool(String poolId, String cursor, Integer limit) {
        return http.send(Request.read(orgId, "/orgs/" + Request.segment(orgId) + "/seat-pools/" + Request.segment(poolId) + "/charges")
                .param("cursor", cursor).param("limit", limit), PAGE);
    }
}
