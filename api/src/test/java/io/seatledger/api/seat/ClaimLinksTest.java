package io.seatledger.api.seat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Claim links start with the configured public address; the request's Host header is trusted only behind a declared proxy. */
class ClaimLinksTest {

    private static final MockServerHttpRequest HOSTILE = MockServerHttpRequest.post("https://evil.example:8443/api/v1/orgs/o/seat-pools/p/seats")
            .header("Host", "evil.example:8443").header("X-Forwarded-Host", "evil.example")
            .localAddress(new InetSocketAddress("127.0.0.1", 8123)).build();

    @Test
    void theConfiguredPublicAddressIsUsed() {
        assertThat(new ClaimLinks("https://seats.example.com/", "none").claimUrl(HOSTILE, "tok"))
                .isEqualTo("https://seats.example.com/api/v1/invitations/tok/claim");
        assertThat(new ClaimLinks("https://example.com/seat-ledger", "framework").claimUrl(HOSTILE, "tok"))
                .isEqualTo("https://example.com/seat-ledger/api/v1/invitations/tok/claim");
    }

    @Test
    void withoutOneTheLocalPortIsUsedNotTheHostHeader() {
        assertThat(new ClaimLinks("", "none").claimUrl(HOSTILE, "tok")).isEqualTo("http://localhost:8123/api/v1/invitations/tok/claim");
    }

    @Test
    void theForwardedAddressIsUsedOnlyBehindADeclaredProxy() {
        assertThat(new ClaimLinks("", "native").claimUrl(HOSTILE, "tok")).isEqualTo("https://evil.example:8443/api/v1/invitations/tok/claim");
    }

    @Test
    void anAddressThatIsNotAnAbsoluteHttpUrlIsRefusedAtStartup() {
        for (String bad : new String[] {"seats.example.com", "ftp://seats.example.com", "https://seats.example.com/?a=b"}) {
            assertThatThrownBy(() -> new ClaimLinks(bad, "none")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
