package io.seatledger.billing.stripe;

import com.stripe.model.Charge;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.ProviderPayment;
import io.seatledger.messages.seatpool.ProviderState;
import io.seatledger.messages.seatpool.StripeSubscription;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StripeStatesTest {

    private static Subscription subscription(String status, boolean cancelAtPeriodEnd) {
        return ApiResource.GSON.fromJson("""
                {"id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "%s", "cancel_at_period_end": %s,
                 "metadata": {"seatledger_org_id": "org-1", "seatledger_pool_id": "pool-1"},
                 "items": {"object": "list", "has_more": false, "url": "/v1/subscription_items?subscription=sub_1", "data": [
                   {"id": "si_other", "object": "subscription_item", "quantity": 1, "current_period_start": 1767225600,
                    "current_period_end": 1769904000, "price": {"id": "price_x", "object": "price", "recurring": {"interval": "month"}}},
                   {"id": "si_1", "object": "subscription_item", "quantity": 12, "current_period_start": 1767225600,
                    "current_period_end": 1798761600, "price": {"id": "price_1", "object": "price", "recurring": {"interval": "year"}}}]}}
                """.formatted(status, cancelAtPeriodEnd), Subscription.class);
    }

    @Test
    void aSubscriptionIsReadFromTheItemSeatLedgerBills() {
        ProviderState state = StripeStates.of(subscription("active", true), "si_1", "cs_1");
        assertThat(state).isEqualTo(new ProviderState(ProviderPayment.PAID, new StripeSubscription("cus_1", "sub_1", "si_1", "cs_1"), 12,
                BillingInterval.YEAR, new BillingPeriod(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z")), true));
        assertThat(StripeStates.of(subscription("active", false), null, null).stripe().subscriptionItemId()).as("first item when unknown")
                .isEqualTo("si_other");
        assertThat(StripeStates.poolOf(subscription("active", false).getMetadata())).contains(new StripeStates.PoolRef("org-1", "pool-1"));
        assertThat(StripeStates.poolOf(Map.of("seatledger_org_id", "org-1"))).isEmpty();
    }

    @Test
    void everyStripeStatusMeansOnePaymentState() {
        assertThat(Map.of(
                "incomplete", StripeStates.payment("incomplete"),
                "trialing", StripeStates.payment("trialing"),
                "active", StripeStates.payment("active"),
                "past_due", StripeStates.payment("past_due"),
                "paused", StripeStates.payment("paused"),
                "unpaid", StripeStates.payment("unpaid"),
                "canceled", StripeStates.payment("canceled"),
                "incomplete_expired", StripeStates.payment("incomplete_expired")))
                .containsEntry("incomplete", ProviderPayment.PENDING)
                .containsEntry("trialing", ProviderPayment.PAID).containsEntry("active", ProviderPayment.PAID)
                .containsEntry("past_due", ProviderPayment.PAST_DUE).containsEntry("paused", ProviderPayment.PAST_DUE)
                .containsEntry("unpaid", ProviderPayment.UNPAID).containsEntry("canceled", ProviderPayment.ENDED)
                .containsEntry("incomplete_expired", ProviderPayment.ENDED);
    }

    @Test
    void everyDisputeStatusIsOpenWonLostOrNothing() {
        for (String open : List.of("warning_needs_response", "warning_under_review", "needs_response", "under_review")) {
            assertThat(StripeStates.dispute(open)).as(open).isEqualTo(PaymentState.DisputeStatus.OPEN);
        }
        for (String won : List.of("won", "warning_closed", "prevented")) {
            assertThat(StripeStates.dispute(won)).as(won).isEqualTo(PaymentState.DisputeStatus.WON);
        }
        assertThat(StripeStates.dispute("lost")).isEqualTo(PaymentState.DisputeStatus.LOST);
        assertThat(StripeStates.dispute("charge_refunded")).isNull();
        assertThat(StripeStates.dispute(null)).isNull();
    }

    @Test
    void aChargeIsReadAsThePoolsPaymentWithTheDisputeInQuestion() {
        Charge charge = ApiResource.GSON.fromJson("""
                {"id": "ch_1", "object": "charge", "amount": 3000, "amount_refunded": 1000, "currency": "eur", "refunded": false,
                 "payment_intent": "pi_1", "customer": "cus_1"}""", Charge.class);
        assertThat(StripeStates.payment(charge, "dp_1", PaymentState.DisputeStatus.OPEN))
                .isEqualTo(new PaymentState("ch_1", 3000, 1000, "eur", "dp_1", PaymentState.DisputeStatus.OPEN));
        assertThat(StripeStates.payment(charge, "dp_1", null)).isEqualTo(new PaymentState("ch_1", 3000, 1000, "eur", null, null));
    }

    @Test
    void anOrdersCheckoutIsPaidCompleteAndUnpaidWhileItsDelayedPaymentRuns() {
        Session paid = ApiResource.GSON.fromJson("""
                {"id": "cs_1", "object": "checkout.session", "mode": "payment", "status": "complete", "payment_status": "paid", "customer": "cus_1"}
                """, Session.class);
        Session processing = ApiResource.GSON.fromJson("""
                {"id": "cs_2", "object": "checkout.session", "mode": "payment", "status": "complete", "payment_status": "unpaid"}
                """, Session.class);
        Session expired = ApiResource.GSON.fromJson("""
                {"id": "cs_3", "object": "checkout.session", "mode": "payment", "status": "expired", "payment_status": "unpaid"}
                """, Session.class);
        assertThat(StripeStates.ofOrder(paid, false).payment()).isEqualTo(ProviderPayment.PAID);
        assertThat(StripeStates.ofOrder(paid, false).stripe()).isEqualTo(new StripeSubscription("cus_1", null, null, "cs_1"));
        assertThat(StripeStates.ofOrder(processing, false).payment()).isEqualTo(ProviderPayment.PENDING);
        assertThat(StripeStates.ofOrder(processing, true).payment()).isEqualTo(ProviderPayment.ENDED);
        assertThat(StripeStates.ofOrder(expired, false).payment()).isEqualTo(ProviderPayment.ENDED);
    }
}
