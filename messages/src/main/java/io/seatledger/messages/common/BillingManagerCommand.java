package io.seatledger.messages.common;

/** A command only the organization's billing manager (or an admin) may give. */
public interface BillingManagerCommand {

    String orgId();
}
