package io.seatledger.api.support;

import org.springframework.jdbc.core.JdbcTemplate;

/** Reads the event store's rows as the JSON they are stored as. */
public final class StoredEvents {

    /**
     * A control character as the JSON of a stored event holds it: C0 controls, DEL and surrogates escaped, C1
     * controls and the line and paragraph separators written as they are.
     */
    private static final String CONTROL_IN_JSON = "\\\\u00[01][0-9a-fA-F]|\\\\u007[fF]|\\\\u[dD][89a-fA-F]|\\\\[btnfr]|[\u0080-\u009f\u2028\u2029]";

    private StoredEvents() {
    }

    /** How many stored events of the organization (by their metadata) hold a control character in their payload or metadata. */
    public static long withControlCharacters(JdbcTemplate jdbc, String orgId) {
        return jdbc.queryForObject("""
                select count(*) from events.domain_event_entry
                where convert_from(meta_data, 'UTF8') like '%"orgId":"' || ? || '"%'
                  and (convert_from(payload, 'UTF8') ~ ? or convert_from(meta_data, 'UTF8') ~ ?)""",
                Long.class, orgId, CONTROL_IN_JSON, CONTROL_IN_JSON);
    }

    /** Whether PostgreSQL finds a control character in this JSON the way {@link #withControlCharacters} looks for one. */
    public static boolean holdsControlCharacter(JdbcTemplate jdbc, String json) {
        return jdbc.queryForObject("select ? ~ ?", Boolean.class, json, CONTROL_IN_JSON);
    }

    /** How many events of the organization are stored, as a check that the query above sees them. */
    public static long of(JdbcTemplate jdbc, String orgId) {
        return jdbc.queryForObject("select count(*) from events.domain_event_entry where convert_from(meta_data, 'UTF8') like '%\"orgId\":\"' || ? || '\"%'",
                Long.class, orgId);
    }
}
