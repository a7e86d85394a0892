package io.seatledger.client;

/** What every failure of a client call is: the service refused it ({@link SeatLedgerProblem}) or was not reached ({@link SeatLedgerUnreachable}). */
public abstract class SeatLedgerException extends RuntimeException {

    protected SeatLedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
