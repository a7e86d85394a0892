package io.seatledger.billing.stripe;

/**
 * A Stripe call that did not succeed. {@code retryable} when trying again may help (network, 409 lock,
 * 429, 5xx); otherwise Stripe refused the request itself ({@code code} is Stripe's error code).
 */
public class StripeFailure extends RuntimeException {

    private final boolean retryable;
    private final String code;
    private final Integer status;

    public StripeFailure(String message, boolean retryable, String code, Integer status, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.code = code;
        this.status = status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Stripe's error code, or a short description of what failed when Stripe gave none. */
    public String code() {
        return code;
    }

    /** Stripe answered 404: the object does not exist there. */
    public boolean notFound() {
        return status != null && status == 404;
    }
}
