package io.seatledger.query.seatpool;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.query.Page;
import io.seatledger.query.ReadModelRows;
import io.seatledger.query.ReadPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SeatPoolReader} on rows of the read model: one tenant's pools and seats, paged, and never another tenant's. */
class SeatPoolReaderTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private final ReadPath path = ReadPath.get();
    private final ReadModelRows rows = new ReadModelRows(path.database());
    private final SeatPoolReader reader = new SeatPoolReader(path.tenant());
    private final String orgId = "org-" + UUID.randomUUID();
    private final String otherOrgId = "org-" + UUID.randomUUID();

    @Test
    void aPoolIsReadWithItsCountsAndTerms() {
        String poolId = "pool-" + UUID.randomUUID();
        rows.pool(orgId, poolId, "ACTIVE", false, 10, 2, 3, T0);

        SeatPoolView pool = reader.pool(orgId, poolId).block();

        assertThat(pool).isNotNull();
        assertThat(pool.status()).isEqualTo(PoolStatus.ACTIVE);
        assertThat(pool.interval()).isEqualTo(BillingInterval.MONTH);
        assertThat(List.of(pool.capacity(), pool.pending(), pool.claimed(), pool.available())).containsExactly(10, 2, 3, 5);
        assertThat(pool.pricing().currency()).isEqualTo("eur");
        assertThat(pool.currentPeriod().start()).isEqualTo(T0);
        assertThat(pool.stripe()).isNull();
        assertThat(pool.version()).isEqualTo(3);
        assertThat(pool.createdAt()).isEqualTo(T0);
    }

    @Test
    void anotherTenantsPoolsAndSeatsAreNotFound() {
        String othersPool = "pool-" + UUID.randomUUID();
        rows.pool(otherOrgId, othersPool, "ACTIVE", false, 5, 1, 0, T0);
        rows.seat(otherOrgId, othersPool, "seat-" + UUID.randomUUID(), "PENDING", null, T0);

        assertThat(reader.pool(orgId, othersPool).blockOptional()).isEmpty();
        assertThat(reader.pools(orgId, null, null, null).block().items()).isEmpty();
        assertThat(reader.seats(orgId, othersPool, null, null, null).block().items()).isEmpty();
    }

    @Test
    void rowLevelSecurityAloneKeepsAnotherTenantsRowsOut() {
        rows.pool(orgId, "pool-" + UUID.randomUUID(), "ACTIVE", false, 1, 0, 0, T0);
        rows.pool(otherOrgId, "pool-" + UUID.randomUUID(), "ACTIVE", false, 1, 0, 0, T0);

        List<String> seen = path.tenant().many(orgId, database -> database.sql("select distinct org_id from read_model.seat_pools")
                .map(row -> row.get("org_id", String.class)).all()).collectList().block();

        assertThat(seen).as("a query naming no tenant still sees only the scope's").containsExactly(orgId);
    }

    @Test
    void poolsArePagedOldestFirstAndByStatus() {
        List<String> pools = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String poolId = "pool-" + i + "-" + UUID.randomUUID();
            pools.add(poolId);
            rows.pool(orgId, poolId, i % 2 == 0 ? "ACTIVE" : "CANCELED", false, 1, 0, 0, T0.plusSeconds(i));
        }

        Page<SeatPoolView> first = reader.pools(orgId, null, null, 2).block();
        Page<SeatPoolView> second = reader.pools(orgId, null, first.next(), 2).block();
        Page<SeatPoolView> last = reader.pools(orgId, null, second.next(), 2).block();

        assertThat(first.items()).extracting(SeatPoolView::poolId).containsExactly(pools.get(0), pools.get(1));
        assertThat(second.items()).extracting(SeatPoolView::poolId).containsExactly(pools.get(2), pools.get(3));
        assertThat(last.items()).extracting(SeatPoolView::poolId).containsExactly(pools.get(4));
        assertThat(last.next()).isNull();
        assertThat(reader.pools(orgId, PoolStatus.CANCELED, null, null).block().items()).extracting(SeatPoolView::poolId)
                .containsExactly(pools.get(1), pools.get(3));
    }

    @Test
    void seatsArePagedInTheOrderTheyWereAssignedAndByStatus() {
        String poolId = "pool-" + UUID.randomUUID();
        rows.pool(orgId, poolId, "ACTIVE", false, 5, 2, 1, T0);
        String claimed = poolId + "-seat-a";
        rows.seat(orgId, poolId, claimed, "CLAIMED", "user-ada", T0);
        rows.seat(orgId, poolId, poolId + "-seat-b", "PENDING", null, T0.plusSeconds(1));
        rows.seat(orgId, poolId, poolId + "-seat-c", "PENDING", null, T0.plusSeconds(2));

        Page<SeatView> first = reader.seats(orgId, poolId, null, null, 2).block();
        Page<SeatView> rest = reader.seats(orgId, poolId, null, first.next(), 2).block();
        SeatView seat = reader.seat(orgId, poolId, claimed).block();

        assertThat(first.items()).extracting(SeatView::seatId).containsExactly(claimed, poolId + "-seat-b");
        assertThat(rest.items()).extracting(SeatView::seatId).containsExactly(poolId + "-seat-c");
        assertThat(reader.seats(orgId, poolId, SeatStatus.PENDING, null, null).block().items()).hasSize(2);
        assertThat(seat.status()).isEqualTo(SeatStatus.CLAIMED);
        assertThat(seat.holderUserId()).isEqualTo("user-ada");
        assertThat(seat.metadata()).isEqualTo(Map.of("team", "core"));
        assertThat(reader.seat(otherOrgId, poolId, claimed).blockOptional()).isEmpty();
    }

    @Test
    void aCursorOrLimitNotFromThisApiIsRefused() {
        assertThatThrownBy(() -> reader.pools(orgId, null, "not-a-cursor", null).block())
                .isInstanceOfSatisfying(SeatLedgerException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThatThrownBy(() -> reader.seats(orgId, "pool", null, null, 1001).block())
                .isInstanceOfSatisfying(SeatLedgerException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
    }
}
