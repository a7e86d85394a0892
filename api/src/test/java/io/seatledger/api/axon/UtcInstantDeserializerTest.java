package io.seatledger.api.axon;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading instants with the module gives what Jackson alone gives, for the service's layout and every other form. */
class UtcInstantDeserializerTest {

    private final JsonMapper withModule = JsonMapper.builder().addModule(UtcInstantDeserializer.module()).build();
    private final JsonMapper jacksonAlone = JsonMapper.builder().build();

    record Stamped(Instant at) {
    }

    @Test
    void readsWhatJacksonReads() throws Exception {
        for (String json : new String[]{"\"2026-12-03T09:38:35.218Z\"", "\"2026-12-03T09:38:35Z\"", "\"2026-12-03T09:38:35.123456789Z\"",
                "\"2026-12-03T10:38:35.218+01:00\"", "\" 2026-12-03T09:38:35Z \"", "1764754715.218000000", "1764754715218", "\"1764754715218\"", "null"}) {
            assertThat(withModule.readValue(json, Instant.class)).as(json).isEqualTo(jacksonAlone.readValue(json, Instant.class));
            String property = "{\"at\":" + json + "}";
            assertThat(withModule.readValue(property, Stamped.class)).as(property).isEqualTo(jacksonAlone.readValue(property, Stamped.class));
        }
    }

    /** Impossible dates and times, bad layouts: whatever Jackson alone answers (a value or a refusal), the same. */
    @Test
    void refusesWhatJacksonRefusesAndAcceptsWhatItAccepts() {
        for (String json : new String[]{"\"2026-02-30T09:38:35Z\"", "\"2026-02-29T09:38:35Z\"", "\"yesterday\"", "\"2026-12-03T09:38:35.Z\"",
                "\"2026-12-03T25:38:35Z\"", "\"2026-12-03T23:59:60Z\"", "\"2026-12-03t09:38:35z\"", "\"\"", "[]", "{}"}) {
            assertThat(outcome(withModule, json)).as(json).isEqualTo(outcome(jacksonAlone, json));
        }
        assertThatThrownBy(() -> withModule.readValue("\"yesterday\"", Instant.class)).isInstanceOf(InvalidFormatException.class);
    }

    private static Object outcome(JsonMapper mapper, String json) {
        try {
            return mapper.readValue(json, Instant.class);
        } catch (Exception refused) {
            return refused.getClass();
        }
    }

    @Test
    void keepsJacksonsFeaturesOnTheFastPath() throws Exception {
        JsonMapper truncating = JsonMapper.builder().addModule(UtcInstantDeserializer.module()).enable(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ).build();
        assertThat(truncating.readValue("\"2026-12-03T09:38:35.123456789Z\"", Instant.class)).isEqualTo(Instant.parse("2026-12-03T09:38:35.123Z"));
    }
}
