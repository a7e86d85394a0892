package io.seatledger.api.client;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import io.seatledger.client.ProblemCode;
import io.seatledger.client.SeatLedgerClient;
import io.seatledger.client.SeatLedgerProblem;
import io.seatledger.client.model.AssignSeat;
import io.seatledger.client.model.AuditQuery;
import io.seatledger.client.model.BulkResult;
import io.seatledger.client.model.Page;
import io.seatledger.client.model.PoolStatus;
import io.seatledger.client.model.Pricing;
import io.seatledger.client.model.PurchasePool;
import io.seatledger.client.model.ResizePool;
import io.seatledger.client.model.Seat;
import io.seatledger.client.model.SeatPool;
import io.seatledger.client.model.SeatStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java client against the running service: every route it offers, its problems typed, its own writes read back. */
class ClientLibraryTest extends ApiTest {

    @Test
    void theClientBuysAssignsClaimsRevokesAndReadsWithTheServicesAnswers() {
        SeatLedgerClient client = client(api.token(managerId, orgId, managerEmail));
        assertThat(client.organizations().get(orgId).billingManager().userId()).isEqualTo(managerId);

        SeatPool pool = client.pools(orgId).purchase(PurchasePool.monthly(3, Pricing.perSeat("eur", 1500)));
        assertThat(pool.status()).isEqualTo(PoolStatus.ACTIVE);
        assertThat(client.pools(orgId).get(pool.poolId()).capacity()).isEqualTo(3);

        String holderId = "holder-" + UUID.randomUUID();
        String holderEmail = holderId + "@example.com";
        Seat invited = client.pools(orgId).assign(pool.poolId(), AssignSeat.invite(holderEmail));
        assertThat(invited.invitation().token()).isNotBlank();
        assertThat(client.invitations().preview(invited.invitation().token()).canClaim()).isTrue();

        SeatLedgerClient holder = client(api.token(holderId, orgId, holderEmail));
        Seat claimed = holder.invitations().claim(invited.invitation().token());
        assertThat(claimed.status()).isEqualTo(SeatStatus.CLAIMED);
        assertThat(claimed.holderUserId()).isEqualTo(holderId);
        assertThat(holder.invitations().mine().entitled()).isTrue();
        // the holder's client read its own claim; the manager's client has not seen it (read-your-writes is per client)
        assertThat(holder.entitlements(orgId).of(holderId).seats()).extracting(held -> held.seatId()).containsExactly(invited.seatId());

        Page<Seat> claimedSeats = holder.pools(orgId).seats(pool.poolId(), SeatStatus.CLAIMED, null, 10);
        assertThat(claimedSeats.items()).extracting(Seat::holderUserId).containsExactly(holderId);

        client.pools(orgId).revoke(pool.poolId(), invited.seatId());
        assertThat(client.entitlements(orgId).of(holderId).entitled()).isFalse();
        assertThatThrownBy(() -> client.pools(orgId).revoke(pool.poolId(), invited.seatId()))
                .isInstanceOfSatisfying(SeatLedgerProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(ProblemCode.INVALID_SEAT_STATE);
                    assertThat(problem.status()).isEqualTo(409);
                    assertThat(problem.requestId()).isNotBlank();
                });

        Seat atOnce = client.pools(orgId).assign(pool.poolId(), AssignSeat.claimedBy("now@example.com", "user-now"));
        assertThat(atOnce.holderUserId()).isEqualTo("user-now");
        Seat pending = client.pools(orgId).assign(pool.poolId(), AssignSeat.invite("later@example.com"));
        Seat resent = client.pools(orgId).resend(pool.poolId(), pending.seatId());
        assertThat(resent.invitation().token()).isNotEqualTo(pending.invitation().token());
        Seat moved = client.pools(orgId).transfer(pool.poolId(), pending.seatId(), "elsewhere@example.com");
        assertThat(moved.seatId()).isNotEqualTo(pending.seatId());
        assertThat(client.pools(orgId).seat(pool.poolId(), pending.seatId()).status()).isEqualTo(SeatStatus.REVOKED);

        assertThatThrownBy(() -> client.pools(orgId).resize(pool.poolId(), ResizePool.now(1)))
                .isInstanceOfSatisfying(SeatLedgerProblem.class, problem -> assertThat(problem.code()).isEqualTo(ProblemCode.RESIZE_BELOW_OCCUPIED));
        assertThat(client.pools(orgId).resize(pool.poolId(), ResizePool.now(5)).capacity()).isEqualTo(5);
        assertThat(client.entitlements(orgId).usage().capacity()).isEqualTo(5);

        // the purchase and the resize now (prorated) are charged, and the client reads them per pool and over the organization
        assertThat(client.charges(orgId).ofPool(pool.poolId(), null, null).items()).extracting(io.seatledger.client.model.Charge::kind)
                .contains("purchase", "proration");
        assertThat(client.charges(orgId).between(null, null, null, 100).items()).allSatisfy(charge -> {
            assertThat(charge.poolId()).isEqualTo(pool.poolId());
            assertThat(charge.currency()).isEqualTo("eur");
        });
        assertThat(client.audit(orgId).page(AuditQuery.all()).items()).isNotEmpty();
        assertThat(client.audit(orgId).verify().valid()).isTrue();
        assertThat(client.pools(orgId).cancel(pool.poolId(), false).status()).isEqualTo(PoolStatus.CANCELED);
    }

    /** The webhook endpoints' calls: the secret only on creation and rotation, deliveries listed, the endpoint gone after deletion. */
    @Test
    void theClientManagesWebhookEndpoints() {
        SeatLedgerClient client = client(api.token(managerId, orgId, managerEmail));
        io.seatledger.client.model.WebhookEndpoint created = client.webhooks(orgId).create("http://127.0.0.1:9/hooks", List.of("seat.assigned"), "billing");
        assertThat(created.secret()).startsWith("whsec_");
        assertThat(client.webhooks(orgId).list()).extracting(io.seatledger.client.model.WebhookEndpoint::endpointId).containsExactly(created.endpointId());
        io.seatledger.client.model.WebhookEndpoint read = client.webhooks(orgId).get(created.endpointId());
        assertThat(read.secret()).as("shown only on creation and rotation").isNull();
        assertThat(read.events()).containsExactly("seat.assigned");
        assertThat(read.pendingDeliveries()).isZero();
        assertThat(read.skippedEvents()).isZero();
        assertThat(client.webhooks(orgId).rotateSecret(created.endpointId()).secret()).startsWith("whsec_").isNotEqualTo(created.secret());
        assertThat(client.webhooks(orgId).deliveries(created.endpointId(), null, 10).items()).isNotNull();
        client.webhooks(orgId).delete(created.endpointId());
        assertThatThrownBy(() -> client.webhooks(orgId).get(created.endpointId())).isInstanceOfSatisfying(SeatLedgerProblem.class,
                problem -> assertThat(problem.code()).isEqualTo(ProblemCode.NOT_FOUND));
    }

    @Test
    void aBulkAssignmentGoesAsNdjsonAndItsRejectedRowsAreReported() {
        SeatLedgerClient client = client(api.token(managerId, orgId, managerEmail));
        String poolId = buyPool(3);

        BulkResult result = client.pools(orgId).assignAll(poolId, List.of(AssignSeat.invite("one@example.com"),
                AssignSeat.claimedBy("two@example.com", "user-two"), AssignSeat.invite("one@example.com")), false);

        assertThat(result.assigned()).extracting(BulkResult.Assigned::email).containsExactly("one@example.com", "two@example.com");
        assertThat(result.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.index()).isEqualTo(2);
            assertThat(rejected.code()).isEqualTo("SEAT_ALREADY_ASSIGNED");
        });
    }

    @Test
    void anotherTenantsOrganizationIsNotFoundAndABadTokenIsUnauthenticated() {
        String otherOrg = Api.newOrgId();
        SeatLedgerClient stranger = client(api.token("stranger-" + UUID.randomUUID(), otherOrg, "stranger@example.com"));

        assertThatThrownBy(() -> stranger.pools(orgId).list(null, null, null))
                .isInstanceOfSatisfying(SeatLedgerProblem.class, problem -> assertThat(problem.code()).isEqualTo(ProblemCode.NOT_FOUND));
        assertThatThrownBy(() -> client("not-a-token").entitlements(orgId).of("anyone"))
                .isInstanceOfSatisfying(SeatLedgerProblem.class, problem -> assertThat(problem.code()).isEqualTo(ProblemCode.UNAUTHENTICATED));
    }

    /**
     * Needs the server's positions (issue 17, decision 1): every command answer carries {@code Seat-Ledger-Position}, and a read
     * sent with it sees the change at once, without polling.
     */
    @Test
    void commandAnswersCarryAPositionAndTheNextReadSeesTheChange() {
        SeatLedgerClient client = client(api.token(managerId, orgId, managerEmail));
        String poolId = buyPool(50);
        long before = client.position(orgId);

        for (int i = 0; i < 10; i++) {
            Seat seat = client.pools(orgId).assign(poolId, AssignSeat.claimedBy("ryw-" + i + "@example.com", "ryw-" + i));
            assertThat(client.position(orgId)).as("answer %d carried a position", i).isGreaterThan(before);
            before = client.position(orgId);
            assertThat(client.entitlements(orgId).of("ryw-" + i).seats()).as("read right after the write")
                    .extracting(held -> held.seatId()).containsExactly(seat.seatId());
            assertThat(client.pools(orgId).get(poolId).claimed()).isEqualTo(i + 1);
        }
    }

    private SeatLedgerClient client(String token) {
        return SeatLedgerClient.builder().baseUrl("http://localhost:" + port).tokens(() -> token).build();
    }
}
