package io.seatledger.api.http;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;

import java.util.List;

/** Request input that breaks the contract's shape, naming the fields at fault. */
public class InvalidRequest extends SeatLedgerException {

    private final List<Problem.FieldError> errors;

    public InvalidRequest(String field, String message) {
        this(List.of(new Problem.FieldError(field, message)));
    }

    public InvalidRequest(List<Problem.FieldError> errors) {
        super(ErrorCode.VALIDATION_FAILED, errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
