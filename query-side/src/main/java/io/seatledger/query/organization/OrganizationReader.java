package io.seatledger.query.organization;

import io.seatledger.messages.organization.BillingManager;
import io.seatledger.query.TenantScope;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads organizations from the read model. */
@Component
public class OrganizationReader {

    /** An organization and who manages its billing. */
    public record OrganizationView(String orgId, String name, BillingManager billingManager) {
    }

    private final TenantScope tenant;

    public OrganizationReader(TenantScope tenant) {
        this.tenant = tenant;
    }

    public Mono<OrganizationView> organization(String orgId) {
        return tenant.one(orgId, database -> database.sql("""
                        select org_id, name, billing_manager_user_id, billing_manager_email from read_model.organizations where org_id = :org""")
                .bind("org", orgId)
                .map(row -> new OrganizationView(row.get("org_id", String.class), row.get("name", String.class),
                        new BillingManager(row.get("billing_manager_user_id", String.class), row.get("billing_manager_email", String.class))))
                .one());
    }
}
