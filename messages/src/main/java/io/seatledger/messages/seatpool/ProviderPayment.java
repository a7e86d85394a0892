package io.seatledger.messages.seatpool;

/** Where the billing provider stands on a pool's payment, whatever its own vocabulary. */
public enum ProviderPayment {
    /** Not paid yet (checkout open, first invoice unpaid): the pool keeps awaiting payment. */
    PENDING,
    /** Paid and current. */
    PAID,
    /** A renewal is overdue; the provider still retries. */
    PAST_DUE,
    /** The provider gave up collecting a renewal (Stripe's {@code unpaid}): the pool is suspended, and restored once paid. */
    UNPAID,
    /** The provider stopped billing (canceled, checkout expired or its payment failed). */
    ENDED
}
