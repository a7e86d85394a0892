package io.seatledger.cli;

import picocli.CommandLine.Option;

/** Where the service is and who calls it: {@code --url}, {@code --token} (or SEATLEDGER_TOKEN, kept out of the process list). */
final class Connection {

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The service, e.g. https://seats.example.com")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SEATLEDGER_TOKEN}",
            description = "A bearer token of an auditor or the billing manager (default: the environment variable SEATLEDGER_TOKEN).")
    String token;

    ApiCalls api() {
        return new ApiCalls(url, token);
    }
}
