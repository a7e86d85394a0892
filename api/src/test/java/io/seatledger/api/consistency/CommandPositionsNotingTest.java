package io.seatledger.api.consistency;

import io.seatledger.messages.seatpool.AssignSeat;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The position is noted in the command's transaction, after its events are appended and before the transaction
 * commits; a probe that fails there fails the command: its transaction never commits (a failed statement would
 * have made the commit a silent rollback), so nothing is answered as stored.
 */
class CommandPositionsNotingTest {

    private final List<String> happened = new ArrayList<>();
    private final CommandMessage<?> command = GenericCommandMessage.asCommandMessage(
            new AssignSeat(UUID.randomUUID().toString(), "org-1", UUID.randomUUID().toString(), "ann@example.com", false, null, Map.of()));

    @Test
    void theProbeRunsAfterTheHandlerAndBeforeTheTransactionCommits() throws Exception {
        CommandPositions positions = probedAt42();
        positions.expect(command);

        ResultMessage<?> result = handle(positions);

        assertThat(result.isExceptional()).isFalse();
        assertThat(happened).containsExactly("handler", "probe", "transaction committed");
        assertThat(positions.noted(command)).isEqualTo(42L);
        assertThat(positions.awaitingPositions()).isZero();
    }

    @Test
    void aProbeThatFailsFailsTheCommandAndItsTransactionNeverCommits() throws Exception {
        CommandPositions positions = CommandPositions.inTable(null, probe(() -> {
            throw new QueryTimeoutException("canceling statement due to statement timeout");
        }), EventSchema.builder().build());
        positions.expect(command);

        Throwable failure;
        try {
            ResultMessage<?> result = handle(positions);
            failure = result.isExceptional() ? result.exceptionResult() : null;
        } catch (Exception thrown) {
            failure = thrown;
        }

        assertThat(failure).isInstanceOf(QueryTimeoutException.class);
        assertThat(happened).containsExactly("handler", "transaction rolled back");
        assertThat(positions.noted(command)).isEqualTo(-1);
    }

    @Test
    void aCommandNotExpectedIsNotProbed() throws Exception {
        CommandPositions positions = probedAt42();

        handle(positions);

        assertThat(happened).containsExactly("handler", "transaction committed");
        assertThat(positions.noted(command)).isEqualTo(-1);
    }

    /** As the command bus handles it: the transaction attached first, then the interceptor around the handler. */
    private ResultMessage<?> handle(CommandPositions positions) throws Exception {
        DefaultUnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(command);
        unitOfWork.onCommit(committed -> happened.add("transaction committed"));
        unitOfWork.onRollback(rolledBack -> happened.add("transaction rolled back"));
        return unitOfWork.executeWithResult(() -> positions.notingInTransaction().handle(unitOfWork, () -> {
            happened.add("handler");
            return "handled";
        }));
    }

    /** Positions whose probe answers 42 and records that it ran. */
    private CommandPositions probedAt42() {
        return CommandPositions.inTable(null, probe(() -> {
            happened.add("probe");
            return 42L;
        }), EventSchema.builder().build());
    }

    private static JdbcTemplate probe(java.util.function.Supplier<Long> answer) {
        return new JdbcTemplate() {
            @Override
            public <T> T query(String sql, ResultSetExtractor<T> extractor, Object... args) {
                @SuppressWarnings("unchecked") T position = (T) answer.get();
                return position;
            }
        };
    }
}
