package io.seatledger.projections.rebuild;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;

import java.util.List;
import java.util.function.Function;

/**
 * A projection that can be rebuilt into shadow tables: its processor, the tables it owns in {@code schema},
 * how to make an instance writing another schema (a list of them for a processor of several projections), and how it
 * sequences events (the rebuild must see them in the same order as the live processor).
 */
public record RebuildableProjection(String processor, String schema, List<String> tables, Function<String, Object> writingSchema,
                                    SequencingPolicy<? super EventMessage<?>> sequencing) {
}
