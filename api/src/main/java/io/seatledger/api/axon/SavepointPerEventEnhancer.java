package io.seatledger.api.axon;

import io.seatledger.projections.FailureIsolation;
import io.seatledger.projections.SavepointPerEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Savepoint;

/**
 * Puts each handler of a {@link SavepointPerEvent} projection behind a savepoint of the batch's transaction
 * while {@link FailureIsolation} is active for its processor. Savepoints cost two round trips an event, so normally handlers run
 * without (and batch their writes): the first failure fails its batch (PostgreSQL refuses the dead-letter
 * write in the failed transaction), the processor retries it, and this time, each event isolated behind a
 * savepoint, the failing event alone is dead-lettered.
 */
@Component
public class SavepointPerEventEnhancer implements HandlerEnhancerDefinition {

    private final DataSource dataSource;
    private final FailureIsolation isolation;

    public SavepointPerEventEnhancer(DataSource dataSource, FailureIsolation isolation) {
        this.dataSource = dataSource;
        this.isolation = isolation;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!original.declaringClass().isAnnotationPresent(SavepointPerEvent.class)) {
            return original;
        }
        ProcessingGroup group = original.declaringClass().getAnnotation(ProcessingGroup.class);
        if (group == null) {
            throw new IllegalStateException(original.declaringClass().getName() + " is a @SavepointPerEvent projection without a @ProcessingGroup");
        }
        String processor = group.value();
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                    return super.handle(message, target);
                }
                if (!isolation.active(processor)) {
                    try {
                        return super.handle(message, target);
                    } catch (Exception | Error failure) {
                        isolation.failed(processor);
                        throw failure;
                    }
                }
                Connection connection = DataSourceUtils.getConnection(dataSource);
                Savepoint savepoint = connection.setSavepoint();
                try {
                    Object result = super.handle(message, target);
                    connection.releaseSavepoint(savepoint);
                    return result;
                } catch (Exception | Error failure) {
                    connection.rollback(savepoint);
                    throw failure;
                }
            }
        };
    }
}
