package io.seatledger.client.model;

import java.util.List;

/** The answer to a bulk assignment: the seats assigned and the rows refused (by index, with their code). */
public record BulkResult(List<Assigned> assigned, List<Rejected> rejected) {

    public record Assigned(String seatId, String email, SeatStatus status, Invitation invitation) {
    }

    public record Rejected(int index, String email, String code) {
    }
}
