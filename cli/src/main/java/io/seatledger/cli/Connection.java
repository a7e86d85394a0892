package io.seatledger.cli;

import io.seatledger.client.SeatLedgerClient;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Where the service is and who calls it: {@code --url}, {@code --token} (or SEATLEDGER_TOKEN, kept out of the process list). */
final class Connection {

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The service, e.g. https://seats.example.com")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SEATLEDGER_TOKEN}",
            description = "A bearer token: an auditor's or the billing manager's (default: the environment variable SEATLEDGER_TOKEN).")
    String token;

    ApiCalls api() {
        return new ApiCalls(url, token);
    }

    /** The Java client for the commands that change or read seats: retries 429 and 503, one idempotency key per call. */
    SeatLedgerClient client() {
        String bearer = token;
        return SeatLedgerClient.builder().baseUrl(url).tokens(() -> bearer).requestTimeout(Duration.ofMinutes(5)).build();
    }
}
