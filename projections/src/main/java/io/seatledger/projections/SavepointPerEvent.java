package io.seatledger.projections;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Each event's writes of this projection are isolated by a savepoint within the batch's transaction, so an
 * event that fails is rolled back alone and dead-lettered while the rest of the batch (and the token) commits.
 * Without it, PostgreSQL refuses every later statement of a transaction in which one has failed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface SavepointPerEvent {
}
