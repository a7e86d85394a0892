package io.seatledger.projections.organization;

import io.seatledger.messages.organization.BillingManagerChanged;
import io.seatledger.messages.organization.OrganizationCreated;
import io.seatledger.projections.EventPosition;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code read_model.organizations}: each organization and its billing manager. */
@Component
@ProcessingGroup(OrganizationProjection.PROCESSOR)
public class OrganizationProjection {

    public static final String PROCESSOR = "organizations";

    private final JdbcTemplate jdbc;

    public OrganizationProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(OrganizationCreated event, @SequenceNumber long version, TrackingToken token) {
        jdbc.update("""
                insert into read_model.organizations (org_id, name, billing_manager_user_id, billing_manager_email, version, position)
                values (?, ?, ?, ?, ?, ?) on conflict (org_id) do nothing""",
                event.orgId(), event.name(), event.billingManager().userId(), event.billingManager().email(), version, EventPosition.of(token));
    }

    @EventHandler
    void on(BillingManagerChanged event, @SequenceNumber long version, TrackingToken token) {
        jdbc.update("""
                update read_model.organizations set billing_manager_user_id = ?, billing_manager_email = ?, version = ?, position = ?
                where org_id = ? and position < ?""",
                event.billingManager().userId(), event.billingManager().email(), version, EventPosition.of(token), event.orgId(), EventPosition.of(token));
    }
}
