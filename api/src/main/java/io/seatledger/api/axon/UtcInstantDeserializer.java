package io.seatledger.api.axon;

import io.seatledger.auditformat.UtcTimestamps;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Jackson's {@link InstantDeserializer} with the service's own layout read by {@link UtcTimestamps} first: every other
 * text, numbers, the features and any {@code @JsonFormat} on a property (which makes Jackson use a plain copy of its
 * own) behave as Jackson's, so what is accepted does not change.
 */
public final class UtcInstantDeserializer extends InstantDeserializer<Instant> {

    private UtcInstantDeserializer() {
        super(InstantDeserializer.INSTANT, DateTimeFormatter.ISO_INSTANT);
    }

    /** The module that puts this deserializer before Jackson's for {@link Instant}. */
    public static SimpleModule module() {
        return new SimpleModule("utc-instants").addDeserializer(Instant.class, new UtcInstantDeserializer());
    }

    @Override
    protected Instant _fromString(JsonParser parser, DeserializationContext context, String text) {
        Instant instant = UtcTimestamps.parseOrNull(text);
        return instant != null ? instant : super._fromString(parser, context, text);
    }
}
