package io.seatledger.api.axon;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;

import java.time.Instant;

/**
 * Reads the instants in stored events and snapshots by {@link UtcTimestamps} and leaves every other form (numbers,
 * offsets other than {@code Z}) to Jackson's own {@link InstantDeserializer}, so what is accepted does not change.
 */
public final class UtcInstantDeserializer extends StdScalarDeserializer<Instant> {

    private UtcInstantDeserializer() {
        super(Instant.class);
    }

    /** The module that puts this deserializer before Jackson's for {@link Instant}. */
    public static SimpleModule module() {
        return new SimpleModule("utc-instants").addDeserializer(Instant.class, new UtcInstantDeserializer());
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            Instant instant = UtcTimestamps.parseOrNull(parser.getString());
            if (instant != null) {
                return instant;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }
}
