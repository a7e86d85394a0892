package io.seatledger.command.seatpool;

import io.seatledger.command.testing.TestClock;
import io.seatledger.messages.common.AlreadyApplied;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.seatpool.ApplyPaymentState;
import io.seatledger.messages.seatpool.PaymentState;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.SeatPoolSuspensionLifted;
import io.seatledger.messages.seatpool.SuspensionCause;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static io.seatledger.command.seatpool.SeatPoolTest.ORG;
import static io.seatledger.command.seatpool.SeatPoolTest.POOL;
import static io.seatledger.command.seatpool.SeatPoolTest.T0;
import static io.seatledger.command.seatpool.SeatPoolTest.events;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots stored by earlier versions of the pool must still load: the resource was written by the pool before its
 * rules moved to collaborators (seats, a pending and a scheduled resize, a refund, an open dispute, remembered
 * requests), and is read here as the write model reads a snapshot of revision 3.
 */
class SeatPoolSnapshotTest {

    static final String SEAT_A = "0a6f1c8e-6a4b-4d4e-8f55-1b2c3d4e5f01";
    static final Map<String, String> BILLING = new AuditMetadata("billing", Set.of("service"), "req-later", "", ORG).asMap();

    private final Jackson3Serializer serializer = Jackson3Serializer.builder().build();

    private byte[] storedSnapshot() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("seat-pool-snapshot-revision-3.json")) {
            return in.readAllBytes();
        }
    }

    private SeatPool restored() throws Exception {
        return serializer.deserialize(new SimpleSerializedObject<>(storedSnapshot(), byte[].class, SeatPool.class.getName(), "3"));
    }

    @Test
    void aSnapshotOfTheEarlierLayoutIsWrittenBackInTheSameShape() throws Exception {
        ObjectMapper json = serializer.getObjectMapper();
        JsonNode stored = json.readTree(storedSnapshot());
        JsonNode rewritten = json.readTree(json.writeValueAsBytes(restored()));
        assertThat(withSeatsById(rewritten)).isEqualTo(withSeatsById(stored));
    }

    @Test
    void aRestoredPoolKeepsItsSeatsRequestsAndPaymentHistory() throws Exception {
        SeatPool pool = restored();
        assertThat(pool.seatsInMemory()).isEqualTo(3);
        AggregateTestFixture<SeatPool> fixture = new AggregateTestFixture<>(SeatPool.class);
        fixture.registerInjectableResource(new TestClock(T0.plus(Duration.ofHours(2))));
        fixture.registerInjectableResource(SeatPolicy.DEFAULT);
        // a request remembered in the snapshot is not applied twice
        fixture.given(snapshotted(pool))
                .when(new ApplyPaymentState(POOL, ORG, new PaymentState("ch_1", 10_000, 2_000, "eur", "dp_1", PaymentState.DisputeStatus.WON)),
                        new AuditMetadata("billing", Set.of("service"), "req-assign-a", "", ORG).asMap())
                .expectNoEvents().expectResultMessagePayload(new AlreadyApplied("req-assign-a"));
        // the refund already recorded is not recorded again; the dispute open in the snapshot is won, its suspension lifted
        fixture.given(snapshotted(restored()))
                .when(new ApplyPaymentState(POOL, ORG, new PaymentState("ch_1", 10_000, 2_000, "eur", "dp_1", PaymentState.DisputeStatus.WON)), BILLING)
                .expectEventsMatching(events(SeatPoolSuspensionLifted.class,
                        lifted -> lifted.cause() == SuspensionCause.DISPUTE && lifted.status() == PoolStatus.ACTIVE));
    }

    private static List<?> snapshotted(SeatPool pool) {
        return List.of(new GenericDomainEventMessage<>("SeatPool", POOL, 0, pool));
    }

    /** The seats' order in a snapshot follows their ids' hashes; any order is read the same. */
    private static JsonNode withSeatsById(JsonNode snapshot) {
        ObjectNode copy = (ObjectNode) snapshot.deepCopy();
        List<JsonNode> seats = StreamSupport.stream(copy.get("seats").spliterator(), false)
                .sorted(Comparator.comparing(seat -> seat.get("seatId").asString())).toList();
        ArrayNode sorted = copy.putArray("seats");
        seats.forEach(sorted::add);
        return copy;
    }
}
