package io.seatledger.api.http;

/**
 * The header that names a global event position: on the answer to a change, the position of the last event it stored;
 * on a read, the position the read model must have applied before it answers (docs/api.md, "Positions").
 */
public final class Positions {

    public static final String HEADER = "Seat-Ledger-Position";

    private Positions() {
    }
}
