package io.seatledger.api.support;

/**
 * A seat-pool projection failing for one tenant: {@code read_model.seat_pools} refuses that organization's rows (a
 * trigger, which only the tables' owner may add), so the projection parks the tenant's events in the dead-letter queue.
 */
public final class SeatPoolRowRefusal {

    private SeatPoolRowRefusal() {
    }

    public static void refuse(DatabaseOwner owner, String orgId) {
        owner.jdbc().execute("""
                create function read_model.refuse_tenant() returns trigger language plpgsql as $$
                begin
                    if new.org_id = '%s' then raise exception 'refused for a fault test'; end if;
                    return new;
                end $$""".formatted(orgId));
        owner.jdbc().execute("create trigger refuse_tenant before insert or update on read_model.seat_pools for each row "
                + "execute function read_model.refuse_tenant()");
    }

    public static void heal(DatabaseOwner owner) {
        owner.jdbc().execute("drop trigger if exists refuse_tenant on read_model.seat_pools");
        owner.jdbc().execute("drop function if exists read_model.refuse_tenant()");
    }
}
