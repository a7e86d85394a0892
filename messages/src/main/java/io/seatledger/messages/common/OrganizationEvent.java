package io.seatledger.messages.common;

/** Every event is a fact about one organization (tenant). */
public interface OrganizationEvent {

    String orgId();
}
