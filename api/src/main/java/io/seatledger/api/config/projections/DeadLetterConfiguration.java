package io.seatledger.api.config.projections;

import io.micrometer.core.instrument.Gauge;
import io.seatledger.api.axon.PagedClaimableSequences;
import io.seatledger.api.axon.SavepointPerEventEnhancer;
import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.projections.StoreOutage;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.organization.OrganizationProjection;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import java.util.List;

/**
 * Events that a PostgreSQL projection keeps failing on go to Axon's JDBC dead-letter queue
 * ({@code axon.dead_letter_entry}) instead of stopping the projection: the event is rolled back alone
 * ({@link SavepointPerEventEnhancer}), later events of its sequence (its organization) queue up behind it so
 * their order holds, and everything else moves on. Dead letters are retried on a schedule and counted in
 * metrics. The Redis counters have no queue: their failures are Redis being away, and they retry whole batches.
 */
@Configuration(proxyBeanMethods = false)
public class DeadLetterConfiguration {

    /** Letters one sequence (one organization, or one pool) may hold. */
    static final int MAX_LETTERS_PER_SEQUENCE = 50_000;

    static final List<String> PROCESSORS = List.of(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);

    private static final Logger log = LoggerFactory.getLogger(DeadLetterConfiguration.class);

    static DeadLetterSchema schema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("axon.dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_identifier")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    @Bean
    public ConfigurerModule deadLetterQueues(ConnectionProvider connectionProvider, TransactionManager axonTransactionManager,
                                             Serializer serializer, @Qualifier("eventSerializer") Serializer eventSerializer) {
        return configurer -> PROCESSORS.forEach(processor -> configurer.eventProcessing()
                .registerDeadLetterQueue(processor, config -> JdbcSequencedDeadLetterQueue.builder()
                        .processingGroup(processor)
                        .connectionProvider(connectionProvider)
                        .transactionManager(axonTransactionManager)
                        .schema(schema())
                        .statementFactory(new PagedClaimableSequences(schema(), serializer, eventSerializer))
                        .genericSerializer(serializer)
                        .eventSerializer(eventSerializer)
                        // A tenant's sequence, once a letter holds it back, queues every later event of that tenant: room for a
                        // few of the largest bulk imports, so that a queue full of one tenant's letters (Axon's default, 1,024)
                        // cannot fail the batches, and so stall the segment, of every tenant sharing it.
                        .maxSequenceSize(MAX_LETTERS_PER_SEQUENCE)
                        .build())
                // Remembers which sequences have letters, instead of asking the table before every event.
                .registerDeadLetteringEventHandlerInvokerConfiguration(processor, (config, builder) -> builder.enableSequenceIdentifierCache())
                // A failure of the database itself (gone, restarting, out of connections, timed out) is not the event's
                // fault: it fails the batch, which the processor retries with back-off, instead of a letter that would hold
                // back the organization's events until the next retry of the queue. Every other failure is enqueued, and
                // the log says so with the kinds of its causes (their messages, which may quote stored values, stay in the
                // letter's row).
                .registerDeadLetterPolicy(processor, config -> (letter, cause) -> {
                    if (StoreOutage.causedBy(cause)) {
                        throw new BatchToRetry(processor, cause);
                    }
                    log.warn("{}: event {} ({}) dead-lettered, holding back its sequence: {}", processor, letter.message().getIdentifier(),
                            letter.message().getPayloadType().getSimpleName(), causes(cause));
                    return Decisions.enqueue(cause);
                }));
    }

    /** A projection's batch failed because its store did: the processor retries it, nothing is dead-lettered. */
    static final class BatchToRetry extends RuntimeException {
        BatchToRetry(String processor, Throwable cause) {
            super(processor + ": the store failed, the batch is retried: " + causes(cause), cause);
        }
    }

    /** The classes of a failure and its causes, outermost first. */
    static String causes(Throwable failure) {
        StringBuilder kinds = new StringBuilder();
        for (Throwable cause = failure; cause != null && kinds.length() < 500; cause = cause.getCause() == cause ? null : cause.getCause()) {
            kinds.append(kinds.length() == 0 ? "" : " <- ").append(cause.getClass().getName());
        }
        return kinds.length() == 0 ? "(no cause)" : kinds.toString();
    }

    @Bean
    public DeadLetterRetry deadLetterRetry(EventProcessingConfiguration processing, MeterRegistry meters) {
        return new DeadLetterRetry(processing, meters);
    }

    /** Retries dead letters, oldest first, and exposes how many wait: {@code seatledger_projection_dead_letters{processor}}. */
    public static class DeadLetterRetry {

        private static final int SEQUENCES_PER_RUN = 100;

        private final EventProcessingConfiguration processing;
        private final MeterRegistry meters;

        DeadLetterRetry(EventProcessingConfiguration processing, MeterRegistry meters) {
            this.processing = processing;
            this.meters = meters;
        }

        @EventListener(ApplicationReadyEvent.class)
        public void registerGauges() {
            PROCESSORS.forEach(processor -> processing.deadLetterQueue(processor).ifPresent(queue ->
                    Gauge.builder("seatledger.projection.dead.letters", queue, SequencedDeadLetterQueue::size)
                            .description("Events a projection could not apply, waiting for a retry")
                            .tag("processor", processor)
                            .register(meters)));
        }

        /** Retries up to a hundred sequences per processor; stops at the first that still fails. Run every {@code seatledger.projections.dead-letter-retry-interval}. */
        public void retry() {
            for (String processor : PROCESSORS) {
                processing.sequencedDeadLetterProcessor(processor).ifPresent(letters -> retry(processor, letters));
            }
        }

        private void retry(String processor, SequencedDeadLetterProcessor<EventMessage<?>> letters) {
            try {
                for (int run = 0; run < SEQUENCES_PER_RUN && letters.processAny(); run++) {
                    log.info("a dead-lettered sequence of {} was applied on retry", processor);
                }
            } catch (RuntimeException failure) {
                log.warn("retrying dead letters of {} failed: {}", processor, failure.getClass().getSimpleName());
            }
        }
    }
}
