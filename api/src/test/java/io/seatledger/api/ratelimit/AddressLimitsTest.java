package io.seatledger.api.ratelimit;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Which client a request's address stands for: an IPv4 address, or the /64 network of an IPv6 one (whose other half a client picks freely). */
class AddressLimitsTest {

    @Test
    void ipv4AddressesAreClientsOfTheirOwn() {
        assertThat(client("198.51.100.7")).isEqualTo("198.51.100.7").isNotEqualTo(client("198.51.100.8"));
    }

    @Test
    void ipv6AddressesOfOneNetworkAreOneClient() {
        assertThat(client("2001:db8:1:2::1")).isEqualTo(client("2001:db8:1:2:ffff:ffff:ffff:ffff")).isEqualTo("2001:db8:1:2::/64");
        assertThat(client("2001:db8:1:3::1")).isNotEqualTo(client("2001:db8:1:2::1"));
    }

    private static String client(String address) {
        return AddressLimits.client(MockServerHttpRequest.get("/").remoteAddress(new InetSocketAddress(address, 443)).build());
    }
}
