package io.seatledger.command.rejection;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.Rejection;
import io.seatledger.messages.common.SeatLedgerException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;


/**
 * Turns a refused command into a {@link CommandExecutionException} whose details are a {@link Rejection},
 * the one shape callers read, whether the command ran here or was routed through Axon Server.
 * The unit of work rolls back, so nothing of a refused command is stored.
 */
public class RejectionTranslation implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (SeatLedgerException e) {
            throw new CommandExecutionException(e.getMessage(), null, e.toRejection());
        } catch (AggregateNotFoundException e) {
            throw new CommandExecutionException("not found", null, new Rejection(ErrorCode.NOT_FOUND, "no such organization, pool or seat"));
        }
    }
}
