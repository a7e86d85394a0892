package io.seatledger.api.embedded;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectAfterStartTest {

    @Test
    void aBeanThatConnectsIsCreatedOnlyOnceTheServersAcceptConnections(@TempDir Path dataDirectory) throws Exception {
        EmbeddedServers servers = EmbeddedServers.launch(new EmbeddedServers.Settings(dataDirectory, true, 0, 0, true), new NoOpLog());
        try {
            assertThat(new ConnectAfterStart(servers).postProcessBeforeInstantiation(HikariDataSource.class, "dataSource")).isNull();
            try (Connection connection = DriverManager.getConnection(servers.jdbcUrl(), servers.runtimeUser(), servers.runtimePassword())) {
                assertThat(connection.isValid(5)).isTrue();
            }
        } finally {
            EmbeddedServers.stop(dataDirectory);
        }
    }

    @Test
    void serversThatCannotStartFailTheFirstBeanThatConnectsWithTheReasonAndReleaseTheDirectory(@TempDir Path dataDirectory) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedServers servers = EmbeddedServers.launch(new EmbeddedServers.Settings(dataDirectory, true, 0, taken.getLocalPort(), true),
                    new NoOpLog());
            ConnectAfterStart connectAfterStart = new ConnectAfterStart(servers);
            assertThatThrownBy(() -> connectAfterStart.postProcessBeforeInstantiation(HikariDataSource.class, "dataSource"))
                    .hasMessageContaining("could not start the embedded PostgreSQL/Redis in " + dataDirectory.toAbsolutePath().normalize())
                    .hasStackTraceContaining("Failed to start Redis service");
        }
        assertThat(EmbeddedServers.running(dataDirectory)).as("a failed start is forgotten").isEmpty();
        assertThatCode(() -> DataDirectoryLock.acquire(dataDirectory).close()).as("a failed start releases the directory").doesNotThrowAnyException();
    }
}
