package io.seatledger.messages.common;

/** A command only the billing provider's integration (role {@code service}), the system or an admin may give. */
public interface ProviderCommand {

    String orgId();
}
