package io.seatledger.bench;

import io.seatledger.api.SeatLedgerApplication;
import io.seatledger.messages.common.AuditMetadata;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

/** The service as the scenarios drive it: started in-process on a fresh embedded default. */
final class BenchApp {

    private BenchApp() {
    }

    static ConfigurableApplicationContext start() {
        // Arguments, not builder properties: those are defaults, which application.properties overrides.
        return new SpringApplicationBuilder(SeatLedgerApplication.class).run("--seatledger.data-dir=target/bench-data", "--seatledger.embedded.start-clean=true",
                "--server.port=0", "--logging.level.root=WARN", "--logging.level.io.zonky=WARN", "--spring.main.banner-mode=off");
    }

    /** Sends a command as {@code actor}, in a request of its own, and waits for the result. */
    static <R> R send(CommandGateway gateway, Object command, AuditMetadata actor) {
        AuditMetadata request = new AuditMetadata(actor.actorId(), actor.roles(), UUID.randomUUID().toString(), "benchmark", actor.orgId());
        return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).withMetaData(request.asMap()));
    }

    /** Every streaming processor (read models, counters, audit) has processed every stored event. */
    static void awaitProjectionsCaughtUp(ConfigurableApplicationContext app) throws InterruptedException {
        EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
        long head = app.getBean(JdbcTemplate.class).queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
        while (!processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
                .allMatch(processor -> !processor.processingStatus().isEmpty() && processor.processingStatus().values().stream()
                        .allMatch(segment -> segment.isCaughtUp() && segment.getCurrentPosition().orElse(-1) >= head))) {
            Thread.sleep(50);
        }
    }
}
