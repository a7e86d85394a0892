package io.seatledger.messages.common;

/** A business rule refused a command; {@link #code()} is the stable code clients see. */
public class SeatLedgerException extends RuntimeException {

    private final ErrorCode code;

    public SeatLedgerException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public Rejection toRejection() {
        return new Rejection(code, getMessage());
    }
}
