package io.seatledger.messages.common;

/**
 * Why a command was refused. Travels as the details of a command execution failure, so the caller
 * gets the same code whether the command ran in this JVM or was routed through Axon Server.
 */
public record Rejection(ErrorCode code, String detail) {
}
