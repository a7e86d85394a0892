package io.seatledger.api.eventstore;

import io.seatledger.api.SeatLedgerApplication;
import io.seatledger.api.audit.checkpoint.CheckpointSigningKey;
import io.seatledger.api.embedded.EmbeddedServers;
import io.seatledger.api.support.Commands;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.organization.OrganizationSummary;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default keeps its data: events written before a restart are there after it, and so is the key that signs audit checkpoints. */
class RestartPersistenceTest {

    private final Path dataDirectory = Path.of("target", "restart-test-" + UUID.randomUUID());

    @AfterEach
    void stopServers() {
        EmbeddedServers.stop(dataDirectory);
    }

    @Test
    void eventsSurviveARestartOfTheApplicationAndItsDatabase() {
        String orgId = "org-" + UUID.randomUUID();
        AuditMetadata manager = Commands.actor("manager-1", orgId);
        CreateOrganization create = new CreateOrganization(orgId, "Acme", new BillingManager("manager-1", "b@acme.example"));

        String signingKey;
        try (ConfigurableApplicationContext first = start()) {
            OrganizationSummary created = new Commands(first.getBean(CommandGateway.class)).send(create, manager);
            assertThat(created.created()).isTrue();
            signingKey = first.getBean(CheckpointSigningKey.class).keyId();
        }
        EmbeddedServers.stop(dataDirectory);

        try (ConfigurableApplicationContext second = start()) {
            assertThat(second.getBean(EventStore.class).readEvents(orgId).asStream().count()).isEqualTo(1);
            OrganizationSummary again = new Commands(second.getBean(CommandGateway.class)).send(create, manager);
            assertThat(again.created()).isFalse();
            // the audit checkpoints' signing key is the one kept in the data directory: the same key id
            assertThat(second.getBean(CheckpointSigningKey.class).keyId()).isEqualTo(signingKey);
        }
    }

    private ConfigurableApplicationContext start() {
        // Arguments, not builder properties: those are defaults, which application.properties overrides.
        return new SpringApplicationBuilder(SeatLedgerApplication.class)
                .run("--seatledger.data-dir=" + dataDirectory, "--server.port=0", "--logging.level.org.axonframework=WARN");
    }
}
