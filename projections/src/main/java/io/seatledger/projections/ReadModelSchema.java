package io.seatledger.projections;

/** The schemas the projections write: the live ones readers use, and the shadows a rebuild fills. */
public final class ReadModelSchema {

    public static final String LIVE = "read_model";
    public static final String AUDIT = "audit";

    private ReadModelSchema() {
    }

    /** The schema a rebuild fills before its tables replace those of {@code schema}. */
    public static String shadowOf(String schema) {
        return schema + "_rebuild";
    }
}
