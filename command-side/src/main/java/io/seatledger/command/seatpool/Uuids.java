package io.seatledger.command.seatpool;

import java.util.UUID;

/** Pool and seat ids are chosen by clients: they must be UUIDs in their canonical form, so one id has one spelling. */
final class Uuids {

    private Uuids() {
    }

    static boolean isCanonical(String id) {
        try {
            return id != null && UUID.fromString(id).toString().equals(id.toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
