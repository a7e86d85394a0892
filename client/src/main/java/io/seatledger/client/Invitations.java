package io.seatledger.client;

import io.seatledger.client.model.Entitlement;
import io.seatledger.client.model.InvitationPreview;
import io.seatledger.client.model.Seat;

/** The seat holder's side: what an invitation opens, claiming it, and the caller's own entitlement. */
public final class Invitations {

    private final Http http;

    Invitations(Http http) {
        this.http = http;
    }

    public InvitationPreview preview(String token) {
        return http.send(Request.read(null, "/invitations/" + Request.segment(token)), InvitationPreview.class);
    }

    /** Claims the seat for the caller (the token's {@code sub} becomes its holder). */
    public Seat claim(String token) {
        Http.Answer<Seat> answer = http.answer(Request.command("POST", null, "/invitations/" + Request.segment(token) + "/claim", null), Seat.class);
        if (answer.position() > 0 && answer.body() != null && answer.body().orgId() != null) {
            http.positions().record(answer.body().orgId(), answer.position());
        }
        return answer.body();
    }

    /** The caller's entitlement across the pools of their own organization. */
    public Entitlement mine() {
        return http.send(Request.read(null, "/me/entitlements"), Entitlement.class);
    }
}
