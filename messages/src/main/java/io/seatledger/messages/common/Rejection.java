package io.seatledger.messages.common;

import org.axonframework.commandhandling.CommandExecutionException;

import java.util.Optional;

/**
 * Why a command was refused. Travels as the details of a command execution failure, so the caller
 * gets the same code whether the command ran in this JVM or was routed through Axon Server.
 */
public record Rejection(ErrorCode code, String detail) {

    /** The rejection behind a failed command, if a business rule refused it. */
    public static Optional<Rejection> behind(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CommandExecutionException execution) {
                Optional<Rejection> rejection = execution.getDetails().filter(Rejection.class::isInstance).map(Rejection.class::cast);
                if (rejection.isPresent()) {
                    return rejection;
                }
            }
            if (cause instanceof SeatLedgerException refused) {
                return Optional.of(refused.toRejection());
            }
        }
        return Optional.empty();
    }
}
