package io.seatledger.client;

import io.seatledger.client.model.AuditEntry;
import io.seatledger.client.model.AuditQuery;
import io.seatledger.client.model.AuditVerification;
import io.seatledger.client.model.Page;
import tools.jackson.core.type.TypeReference;

/** One organization's audit trail (auditors and the billing manager): pages of entries and the chain's verification. */
public final class Audit {

    private static final TypeReference<Page<AuditEntry>> PAGE = new TypeReference<>() {
    };

    private final Http http;
    private final String orgId;

    Audit(Http http, String orgId) {
        this.http = http;
        this.orgId = orgId;
    }

    /** One page; the next one is {@code query.after(last entry's position)}. */
    public Page<AuditEntry> page(AuditQuery query) {
        Request request = Request.read(orgId, "/orgs/" + Request.segment(orgId) + "/audit")
                .param("after", query.after()).param("from", query.from()).param("to", query.to())
                .param("actor", query.actor()).param("action", query.action()).param("limit", query.limit());
        return http.send(request, PAGE);
    }

    public AuditVerification verify() {
        return http.send(Request.read(orgId, "/orgs/" + Request.segment(orgId) + "/audit/verify"), AuditVerification.class);
    }
}
