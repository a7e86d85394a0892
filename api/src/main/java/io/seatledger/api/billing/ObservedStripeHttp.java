package io.seatledger.api.billing;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * stripe-java's HTTP client with each request observed as {@code stripe.requests}: a span of the current trace (the
 * request's, or the event's in {@code stripe-sync}) and {@code stripe_requests_seconds} by method and status. Our
 * trace headers are not sent to Stripe.
 */
final class ObservedStripeHttp extends HttpURLConnectionClient {

    private final ObservationRegistry observations;

    ObservedStripeHttp(ObservationRegistry observations) {
        this.observations = observations;
    }

    @Override
    public StripeResponse request(StripeRequest request) throws ApiConnectionException {
        String method = request.method().name();
        Observation observation = Observation.createNotStarted("stripe.requests", observations)
                .contextualName("stripe " + method)
                .lowCardinalityKeyValue("method", method);
        return observation.observeChecked(() -> {
            StripeResponse response = super.request(request);
            observation.lowCardinalityKeyValue("status", String.valueOf(response.code()));
            return response;
        });
    }
}
