package io.seatledger.query.usage;

/** An organization's seats over its pools in service. */
public record Usage(long capacity, long pending, long claimed, long available, long pools) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);
}
