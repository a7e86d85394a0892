package io.seatledger.api.consistency;

import io.seatledger.api.support.Api;
import io.seatledger.api.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The position an answer names is at least that of the command's own last event, and no more than the store's head
 * when it answered: also when many commands of one pool race (the position is looked up after the commit).
 */
class CommandPositionsTest extends ApiTest {

    private record Answered(String seatId, long position, long headAfter) {
    }

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void concurrentAnswersNameAtLeastTheirOwnEventAndNoMoreThanTheHead() throws Exception {
        String poolId = buyPool(200);
        List<Answered> answers = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                int number = client;
                done.add(clients.submit(() -> {
                    WebTestClient own = api.as(managerId, orgId, managerEmail);
                    for (int i = 0; i < 8; i++) {
                        EntityExchangeResult<Map> answer = own.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("email", "p" + number + "-" + i + "@example.com", "immediateClaim", true, "userId", "u" + number + "-" + i))
                                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult();
                        long head = jdbc.queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
                        answers.add(new Answered((String) answer.getResponseBody().get("seatId"),
                                Long.parseLong(answer.getResponseHeaders().getFirst(Api.POSITION)), head));
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(answers).hasSize(64);
        for (Answered answer : answers) {
            // an immediately claimed seat is two events, SeatAssigned and SeatClaimed: the answer names at least the second
            Long own = jdbc.queryForObject("""
                    select max(global_index) from events.domain_event_entry
                    where aggregate_identifier = ? and convert_from(payload, 'UTF8') like ?""", Long.class, poolId, "%" + answer.seatId() + "%");
            assertThat(answer.position()).as(answer.seatId()).isGreaterThanOrEqualTo(own).isLessThanOrEqualTo(answer.headAfter());
        }
    }
}
