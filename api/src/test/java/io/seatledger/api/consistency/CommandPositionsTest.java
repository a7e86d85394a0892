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
 * The position an answer names is exactly that of the command's own last event, noted in the command's
 * transaction: also when many commands of one pool race, across two pools of one organization, with bulk imports
 * beside single assignments. Never an earlier one (a read waiting for it would miss the change), never another
 * command's, never above the store's head when it answered.
 */
class CommandPositionsTest extends ApiTest {

    private record Answered(String poolId, List<String> seatIds, long position, long headAfter) {
    }

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private CommandPositions positions;

    @Test
    void concurrentAnswersNameExactlyTheirOwnCommandsLastEvent() throws Exception {
        List<String> pools = List.of(buyPool(300), buyPool(300));
        List<Answered> answers = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(9);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                int number = client;
                String poolId = pools.get(client % 2);
                done.add(clients.submit(() -> {
                    WebTestClient own = api.as(managerId, orgId, managerEmail);
                    for (int i = 0; i < 8; i++) {
                        EntityExchangeResult<Map> answer = own.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("email", "p" + number + "-" + i + "@example.com", "immediateClaim", true, "userId", "u" + number + "-" + i))
                                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult();
                        answers.add(new Answered(poolId, List.of((String) answer.getResponseBody().get("seatId")),
                                Long.parseLong(answer.getResponseHeaders().getFirst(Api.POSITION)), head()));
                    }
                    return null;
                }));
            }
            done.add(clients.submit(() -> {
                WebTestClient own = api.as(managerId, orgId, managerEmail);
                for (int bulk = 0; bulk < 3; bulk++) {
                    List<Map<String, Object>> seats = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        seats.add(Map.of("email", "bulk" + bulk + "-" + i + "@example.com"));
                    }
                    EntityExchangeResult<Map> answer = own.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", orgId, pools.get(0))
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("seats", seats))
                            .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> assigned = (List<Map<String, Object>>) answer.getResponseBody().get("assigned");
                    answers.add(new Answered(pools.get(0), assigned.stream().map(row -> (String) row.get("seatId")).toList(),
                            Long.parseLong(answer.getResponseHeaders().getFirst(Api.POSITION)), head()));
                }
                return null;
            }));
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(answers).hasSize(67);
        assertThat(positions.awaitingPositions()).as("every noted position was taken by its answer").isZero();
        for (Answered answer : answers) {
            // an immediately claimed seat is two events, SeatAssigned and SeatClaimed: its command's last is the second
            Long own = jdbc.queryForObject("""
                    select max(global_index) from events.domain_event_entry
                    where aggregate_identifier = ? and convert_from(payload, 'UTF8') like any (?)""", Long.class, answer.poolId(),
                    answer.seatIds().stream().map(seatId -> "%" + seatId + "%").toArray(String[]::new));
            assertThat(answer.position()).as(answer.seatIds().get(0)).isEqualTo(own).isLessThanOrEqualTo(answer.headAfter());
        }
    }

    private long head() {
        return jdbc.queryForObject("select max(global_index) from events.domain_event_entry", Long.class);
    }
}
