package io.seatledger.api.eventstore;

import io.seatledger.api.SeatLedgerApplication;
import io.seatledger.api.axon.CompressedSnapshots;
import io.seatledger.api.embedded.EmbeddedServers;
import io.seatledger.api.support.Commands;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.test.server.AxonServerContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production event store: the {@code axonserver} profile against a real Axon Server. Needs Docker;
 * where there is none (as on this project's CI machines) JUnit reports it skipped with that reason.
 */
@Testcontainers(disabledWithoutDocker = true)
class AxonServerEventStoreTest {

    @Container
    static final AxonServerContainer AXON_SERVER = new AxonServerContainer("axoniq/axonserver:2024.2.4-jdk-17").withDevMode(true);

    private final Path dataDirectory = Path.of("target", "axonserver-test-" + UUID.randomUUID());

    @AfterEach
    void stopServers() {
        EmbeddedServers.stop(dataDirectory);
    }

    @Test
    void commandsAreHandledAndEventsStoredThroughAxonServer() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SeatLedgerApplication.class)
                .profiles("axonserver")
                .run("--seatledger.data-dir=" + dataDirectory, "--server.port=0",
                        "--axon.axonserver.servers=" + AXON_SERVER.getAxonServerAddress())) {
            String orgId = "org-" + UUID.randomUUID();
            AuditMetadata manager = Commands.actor("manager-1", orgId);
            new Commands(app.getBean(CommandGateway.class))
                    .send(new CreateOrganization(orgId, "Acme", new BillingManager("manager-1", "b@acme.example")), manager);
            assertThat(app.getBean(EventStore.class).readEvents(orgId).asStream().count()).isEqualTo(1);

            // the wiring AxonServerSnapshotSizeTest measures, as the running profile has it
            assertThat(app.getBean(AxonServerConfiguration.class).getMaxMessageSize()).isEqualTo(16 * 1024 * 1024);
            Object engine = ReflectionTestUtils.invokeMethod(app.getBean(EventStore.class), "storageEngine");
            Object snapshots = ReflectionTestUtils.invokeMethod(engine, "getSnapshotSerializer");
            assertThat(ReflectionTestUtils.getField(snapshots, "delegate")).isInstanceOf(CompressedSnapshots.class);
        }
    }
}
