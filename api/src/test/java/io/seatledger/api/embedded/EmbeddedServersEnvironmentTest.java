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
import static org.assertj.core.api.Assertions.assertThatCode;
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
            EmbeddedServers.running(dataDirectory).orElseThrow().awaitStarted();
            assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://localhost:" + postgresPort + "/postgres");
            assertThat(environment.getProperty("spring.data.redis.port")).isEqualTo(String.valueOf(redisPort));
            assertThat(environment.getProperty("seatledger.security.dev-tokens")).as("dev tokens only when asked for").isNull();
            assertThat(setting(environment, "fsync")).as("a scratch directory wiped at every start skips the flushes").isEqualTo("off");
            assertThat(setting(environment, "synchronous_commit")).isEqualTo("on");
            try (var redis = new Socket(InetAddress.getLoopbackAddress(), redisPort)) {
                redis.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(redis.getInputStream().readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
            }
        } finally {
            EmbeddedServers.stop(dataDirectory);
        }
    }

    @Test
    void aRealDataDirectoryAcknowledgesOnlyFlushedCommitsUnlessToldOtherwise(@TempDir Path dataDirectory) throws Exception {
        MockEnvironment durable = new MockEnvironment().withProperty("seatledger.data-dir", dataDirectory.toString());
        try {
            embedded.postProcessEnvironment(durable, new SpringApplication());
            EmbeddedServers.running(dataDirectory).orElseThrow().awaitStarted();
            assertThat(setting(durable, "fsync")).isEqualTo("on");
            assertThat(setting(durable, "synchronous_commit")).isEqualTo("on");
        } finally {
            EmbeddedServers.stop(dataDirectory);
        }
        MockEnvironment relaxed = new MockEnvironment().withProperty("seatledger.data-dir", dataDirectory.toString())
                .withProperty("seatledger.embedded.synchronous-commit", "off");
        try {
            embedded.postProcessEnvironment(relaxed, new SpringApplication());
            EmbeddedServers.running(dataDirectory).orElseThrow().awaitStarted();
            assertThat(setting(relaxed, "fsync")).isEqualTo("on");
            assertThat(setting(relaxed, "synchronous_commit")).isEqualTo("off");
        } finally {
            EmbeddedServers.stop(dataDirectory);
        }
    }

    @Test
    void aDataDirectoryInUseIsRefusedAndReleasedWhenItsServersStop(@TempDir Path dataDirectory) throws Exception {
        MockEnvironment environment = new MockEnvironment().withProperty("seatledger.data-dir", dataDirectory.toString())
                .withProperty("seatledger.embedded.start-clean", "true");
        try (var held = DataDirectoryLock.acquire(dataDirectory)) {
            assertThatThrownBy(() -> embedded.postProcessEnvironment(environment, new SpringApplication()))
                    .hasMessageContaining("is in use by another running instance (pid " + ProcessHandle.current().pid() + ")");
        }
        try {
            embedded.postProcessEnvironment(environment, new SpringApplication());
            assertThat(environment.getPropertySources().contains(EmbeddedServersEnvironment.PROPERTY_SOURCE)).isTrue();
        } finally {
            EmbeddedServers.stop(dataDirectory);
        }
        assertThatCode(() -> DataDirectoryLock.acquire(dataDirectory).close()).as("stopping the servers releases the directory").doesNotThrowAnyException();
    }

    private static String setting(MockEnvironment environment, String name) throws Exception {
        try (Connection connection = DriverManager.getConnection(environment.getProperty("spring.datasource.url"), "postgres", "");
             var answer = connection.createStatement().executeQuery("show " + name)) {
            assertThat(answer.next()).isTrue();
            return answer.getString(1);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
