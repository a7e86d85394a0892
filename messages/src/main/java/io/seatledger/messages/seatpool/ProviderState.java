package io.seatledger.messages.seatpool;

/**
 * What the billing provider currently holds for a pool, read from the provider at the moment (never from
 * the notification that prompted it), so applying it is right in any order and any number of times.
 * {@code quantity}, {@code interval} and {@code period} are null for a one-off order.
 */
public record ProviderState(ProviderPayment payment, StripeSubscription stripe, Integer quantity, BillingInterval interval,
                            BillingPeriod period, boolean cancelAtPeriodEnd) {
}
