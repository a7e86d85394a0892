package io.seatledger.projections.organization;

import io.seatledger.messages.organization.BillingManagerChanged;
import io.seatledger.messages.organization.OrganizationCreated;
import io.seatledger.projections.ErasedAddresses;
import io.seatledger.projections.EventPosition;
import io.seatledger.projections.BatchedWrites;
import io.seatledger.projections.FailureIsolation;
import io.seatledger.projections.ReadModelSchema;
import io.seatledger.projections.SavepointPerEvent;
import org.axonframework.config.ProcessingGroup;
import org.springframework.beans.factory.annotation.Autowired;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code read_model.organizations}: each organization and its billing manager. */
@Component
@SavepointPerEvent
@ProcessingGroup(OrganizationProjection.PROCESSOR)
public class OrganizationProjection {

    public static final String PROCESSOR = "organizations";

    private final ErasedAddresses addresses;
    private final BatchedWrites writes;
    private final String insert;
    private final String update;

    @Autowired
    public OrganizationProjection(JdbcTemplate jdbc, FailureIsolation isolation, ErasedAddresses addresses) {
        this(jdbc, ReadModelSchema.LIVE, isolation, addresses);
    }

    /**
     * A projection writing the tables of {@code schema}: the live read model, or a rebuild's shadow of it
     * ({@code isolation} null: a rebuild never isolates events, it fails as a whole).
     */
    public OrganizationProjection(JdbcTemplate jdbc, String schema, FailureIsolation isolation, ErasedAddresses addresses) {
        this.addresses = addresses;
        this.writes = new BatchedWrites(jdbc, isolation, PROCESSOR);
        this.insert = """
                insert into %s.organizations (org_id, name, billing_manager_user_id, billing_manager_email, version, position)
                values (?, ?, ?, ?, ?, ?) on conflict (org_id) do nothing""".formatted(schema);
        this.update = """
                update %s.organizations set billing_manager_user_id = ?, billing_manager_email = ?, version = ?, position = ?
                where org_id = ? and position < ?""".formatted(schema);
    }

    @EventHandler
    void on(OrganizationCreated event, @SequenceNumber long version, TrackingToken token) {
        writes.write(insert,
                event.orgId(), event.name(), event.billingManager().userId(), addresses.shown(event.orgId(), event.billingManager().email()), version, EventPosition.of(token));
    }

    @EventHandler
    void on(BillingManagerChanged event, @SequenceNumber long version, TrackingToken token) {
        writes.write(update,
                event.billingManager().userId(), addresses.shown(event.orgId(), event.billingManager().email()), version, EventPosition.of(token), event.orgId(), EventPosition.of(token));
    }
}
