package io.seatledger.client.model;

/** An organization's seats over its pools in service. */
public record Usage(long capacity, long pending, long claimed, long available, long pools) {
}
