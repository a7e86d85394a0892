package io.seatledger.generated;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seatledger.generated.api.SeatPoolsApi;
import io.seatledger.generated.api.SeatsApi;
import io.seatledger.generated.model.Problem;
import io.seatledger.generated.model.SeatResource;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client generated from docs/openapi.json (compiling it is the first check) is one a client would write against:
 * operations named by their stable operationIds, one API class per tag, and the wire's lower-case enums and problem
 * bodies decoded by the generated models.
 */
class GeneratedClientTest {

    private final ObjectMapper json = ApiClient.createDefaultObjectMapper();

    @Test
    void operationsAreNamedByTheirStableIds() {
        assertThat(Stream.of(SeatsApi.class.getMethods()).map(Method::getName))
                .contains("assignSeat", "assignSeatsInBulk", "listSeats", "getSeat", "revokeSeat", "resendInvitation", "transferSeat");
        assertThat(Stream.of(SeatPoolsApi.class.getMethods()).map(Method::getName))
                .contains("purchaseSeatPool", "resizeSeatPool", "previewSeatPoolResize", "cancelSeatPool");
    }

    @Test
    void problemsAndLowerCaseEnumsDecode() throws Exception {
        Problem problem = json.readValue("""
                {"type":"https://seatledger.io/problems/seat-capacity-exceeded","title":"No seat left in the pool","status":409,
                 "detail":"the pool is full","instance":"urn:uuid:4f0c","code":"SEAT_CAPACITY_EXCEEDED","requestId":"4f0c"}""", Problem.class);
        assertThat(problem.getCode()).isEqualTo(Problem.CodeEnum.SEAT_CAPACITY_EXCEEDED);
        assertThat(problem.getStatus()).isEqualTo(409);

        SeatResource seat = json.readValue("""
                {"seatId":"s","poolId":"p","orgId":"o","status":"pending","email":"a@example.com"}""", SeatResource.class);
        assertThat(seat.getStatus()).isEqualTo(SeatResource.StatusEnum.PENDING);
    }
}
