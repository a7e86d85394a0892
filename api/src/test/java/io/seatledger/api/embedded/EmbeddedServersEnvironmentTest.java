package io.seatledger.api.embedded;

import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedServersEnvironmentTest {

    private final EmbeddedServersEnvironment embedded = new EmbeddedServersEnvironment(destination -> new NoOpLog());

    @Test
    void anExternalDatabaseTurnsTheEmbeddedServersOff() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db.internal/seats");
        embedded.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().contains(EmbeddedServersEnvironment.PROPERTY_SOURCE)).isFalse();
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db.internal/seats");
    }

    @Test
    void startingCleanIsRefusedForTheRealDataDirectory() {
        MockEnvironment environment = new MockEnvironment().withProperty("seatledger.embedded.start-clean", "true");
        assertThatThrownBy(() -> embedded.postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused for the default ./data");
        assertThat(environment.getPropertySources().contains(EmbeddedServersEnvironment.PROPERTY_SOURCE)).isFalse();
    }

    @Test
    void theEmbeddedServersListenOnTheConfiguredPorts(@TempDir Path dataDirectory) throws Exception {
        int postgresPort = freePort();
        int redisPort = freePort();
        MockEnvironment environment = new MockEnvironment().withProperty("seatledger.data-dir", dataDirectory.toString())
                .withProperty("seatledger.embedded.start-clean", "true")
                .withProperty("seatledger.embedded.postgres-port", String.valueOf(postgresPort))
                .withProperty("seatledger.embedded.redis-port", String.valueOf(redisPort));
        try {
            embedded.postProcessEnvironment(environment, new SpringApplication());
            assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://localhost:" + postgresPort + "/postgres");
            assertThat(environment.getProperty("spring.data.redis.port")).isEqualTo(String.valueOf(redisPort));
            assertThat(environment.getProperty("seatledger.security.dev-tokens")).as("dev tokens only when asked for").isNull();
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres", "");
                 var answer = connection.createStatement().executeQuery("select 1")) {
                assertThat(answer.next()).isTrue();
            }
            try (var redis = new Socket(InetAddress.getLoopbackAddress(), redisPort)) {
                redis.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(redis.getInputStream().readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
            }
        } finally {
            EmbeddedServers.stop(dataDirectory);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
