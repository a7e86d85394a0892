package io.seatledger.client.model;

/** The body of a pool purchase; {@code interval} is null for an order. */
public record PurchasePool(PoolKind kind, int seats, Pricing pricing, BillingInterval interval) {

    public static PurchasePool monthly(int seats, Pricing pricing) {
        return new PurchasePool(PoolKind.SUBSCRIPTION, seats, pricing, BillingInterval.MONTH);
    }
}
