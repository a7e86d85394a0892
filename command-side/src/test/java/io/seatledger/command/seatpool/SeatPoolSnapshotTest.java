package io.seatledger.command.seatpool;

import io.seatledger.command.testing.TestClock;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.seatpool.*;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.seatledger.command.seatpool.SeatPoolTest.*;

class SeatPoolSnapshotTest {

    static final String A = "0a6f1c8e-6a4b-4d4e-8f55-1b2c3d4e5f01";
    static final String B = "0a6f1c8e-6a4b-4d4e-8f55-1b2c3d4e5f02";
    static final String C = "0a6f1c8e-6a4b-4d4e-8f55-1b2c3d4e5f03";
    static final StripeSubscription LINKS = new StripeSubscription("cus_1", "sub_1", "si_1", "cs_1");

    static Object withRequest(Object event, String requestId) {
        return GenericEventMessage.asEventMessage(event).andMetaData(Map.of(AuditMetadata.REQUEST_ID, requestId));
    }

    @Test
    void capture() throws Exception {
        AggregateTestFixture<SeatPool> fixture = new AggregateTestFixture<>(SeatPool.class);
        fixture.registerInjectableResource(new TestClock(T0.plus(Duration.ofHours(1))));
        fixture.registerInjectableResource(SeatPolicy.DEFAULT);
        AtomicReference<SeatPool> pool = new AtomicReference<>();
        fixture.given(List.of(withRequest(new SeatPoolPurchased(POOL, ORG, PoolKind.SUBSCRIPTION, 10, PRICING, BillingInterval.MONTH, PoolStatus.ACTIVE, PERIOD, LINKS, T0, null), "req-purchase"),
                        withRequest(new SeatAssigned(POOL, ORG, A, "a@example.com", "hash-a", T0.plus(Duration.ofDays(7)), Map.of("team", "red"), T0), "req-assign-a"),
                        new SeatAssigned(POOL, ORG, B, "b@example.com", "hash-b", T0.plus(Duration.ofDays(7)), Map.of(), T0),
                        new SeatAssigned(POOL, ORG, C, "c@example.com", "hash-c", T0.plus(Duration.ofDays(7)), Map.of(), T0),
                        new SeatClaimed(POOL, ORG, B, "user-b", T0),
                        new SeatRevoked(POOL, ORG, C, SeatStatus.PENDING, RevocationReason.REVOKED_BY_MANAGER, T0),
                        new SeatPoolResizeScheduled(POOL, ORG, 5, PERIOD.end()),
                        new SeatPoolResizeRequested(POOL, ORG, 12, ResizeTiming.NOW, ProrationBehavior.CREATE_PRORATIONS, T0),
                        new PaymentRefunded(POOL, ORG, "ch_1", 10_000, 2_000, "eur", false, T0, new Charge(10, -2_000, "eur", null, null)),
                        new SeatPoolCancellationScheduled(POOL, ORG, PERIOD.end())))
                .when(new ApplyPaymentState(POOL, ORG, new PaymentState("ch_1", 10_000, 2_000, "eur", "dp_1", PaymentState.DisputeStatus.OPEN)),
                        new AuditMetadata("billing", Set.of("service"), "req-dispute", "", ORG).asMap())
                .expectState(pool::set);
        String json = Jackson3Serializer.builder().build().getObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(pool.get());
        Files.writeString(Path.of("src/test/resources/io/seatledger/command/seatpool/seat-pool-snapshot-revision-3.json"), json);
    }
}
