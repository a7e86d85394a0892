package io.seatledger.billing.sync;

import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.StripeSubscription;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.util.List;
import java.util.Optional;

/** Where each Stripe-billed pool lives in Stripe (table {@code billing.stripe_links}). */
public class StripeLinks {

    public record Link(String poolId, String orgId, PoolKind kind, StripeSubscription stripe) {
    }

    private static final RowMapper<Link> LINK = (rs, row) -> new Link(rs.getString("pool_id"), rs.getString("org_id"),
            PoolKind.valueOf(rs.getString("kind")), new StripeSubscription(rs.getString("customer_id"), rs.getString("subscription_id"),
            rs.getString("subscription_item_id"), rs.getString("checkout_session_id")));

    private final JdbcTemplate jdbc;

    public StripeLinks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records what is known of the pool in Stripe; an id already known is kept when the new value is unknown. */
    public void record(String poolId, String orgId, PoolKind kind, StripeSubscription stripe) {
        StripeSubscription ids = stripe == null ? new StripeSubscription(null, null, null, null) : stripe;
        jdbc.update("""
                insert into billing.stripe_links (pool_id, org_id, kind, customer_id, subscription_id, subscription_item_id, checkout_session_id)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (pool_id) do update set
                    customer_id = coalesce(excluded.customer_id, billing.stripe_links.customer_id),
                    subscription_id = coalesce(excluded.subscription_id, billing.stripe_links.subscription_id),
                    subscription_item_id = coalesce(excluded.subscription_item_id, billing.stripe_links.subscription_item_id),
                    checkout_session_id = coalesce(excluded.checkout_session_id, billing.stripe_links.checkout_session_id)""",
                poolId, orgId, kind.name(), ids.customerId(), ids.subscriptionId(), ids.subscriptionItemId(), ids.checkoutSessionId());
    }

    /** Adds ids to a pool already known to be billed by Stripe. */
    public void update(String poolId, StripeSubscription stripe) {
        if (stripe == null) {
            return;
        }
        jdbc.update("""
                update billing.stripe_links set
                    customer_id = coalesce(?, customer_id), subscription_id = coalesce(?, subscription_id),
                    subscription_item_id = coalesce(?, subscription_item_id), checkout_session_id = coalesce(?, checkout_session_id)
                where pool_id = ?""",
                stripe.customerId(), stripe.subscriptionId(), stripe.subscriptionItemId(), stripe.checkoutSessionId(), poolId);
    }

    public Optional<Link> ofPool(String poolId) {
        return jdbc.query("select * from billing.stripe_links where pool_id = ?", LINK, poolId).stream().findFirst();
    }

    public Optional<Link> ofSubscription(String subscriptionId) {
        return jdbc.query("select * from billing.stripe_links where subscription_id = ?", LINK, subscriptionId).stream().findFirst();
    }

    /** The one pool paid by this Stripe customer, if exactly one is (seat-ledger's checkouts make a customer per pool). */
    public Optional<Link> ofCustomer(String customerId) {
        List<Link> found = jdbc.query("select * from billing.stripe_links where customer_id = ? limit 2", LINK, customerId);
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    public List<Link> all() {
        return jdbc.query("select * from billing.stripe_links order by pool_id", LINK);
    }
}
