package io.seatledger.api.config.writemodel;

import io.seatledger.api.support.ApiTest;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The write model's cache weighs a loaded pool by the seats it keeps in memory. */
class SeatPoolCacheTest extends ApiTest {

    @Autowired
    Cache seatPoolCache;

    @Test
    void aLoadedPoolWeighsItsSeats() {
        String poolId = buyPool(10);
        for (int i = 0; i < 3; i++) {
            assign(poolId, "cached-" + i + "@example.com");
        }

        assertThat(WriteModelConfiguration.seatsInMemory(seatPoolCache.get(poolId))).isEqualTo(3);
        assertThat(WriteModelConfiguration.seatsInMemory("not a pool")).isEqualTo(1);
    }
}
