package io.seatledger.api.consistency;

import io.seatledger.api.http.ChangeReasons;
import io.seatledger.api.http.Idempotency;
import io.seatledger.api.http.Positions;
import io.seatledger.api.http.RequestIds;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.AlreadyApplied;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;

/**
 * Sends a command for an HTTP request: as the caller, in the request's id, off the event loop (the local
 * command bus runs the handler, and its JDBC work, on the sending thread). Once it is stored, the answer is given
 * the position of its last event ({@link Positions#HEADER}), with which a read waits until its read model shows it.
 */
@Component
public class Dispatch {

    private static final CommandTargetResolver TARGETS = AnnotationCommandTargetResolver.builder().build();

    private final CommandGateway gateway;
    private final CommandPositions positions;

    public Dispatch(CommandGateway gateway, CommandPositions positions) {
        this.gateway = gateway;
        this.positions = positions;
    }

    public <R> Mono<R> send(Object command, Caller caller, String orgId, ServerWebExchange exchange) {
        String keyed = Idempotency.requestIdOf(exchange);
        return send(command, caller.inRequest(orgId, keyed != null ? keyed : RequestIds.of(exchange), ChangeReasons.of(exchange)), exchange);
    }

    /**
     * One step of a request made of several commands, in its own request id ({@code step} appended), so that
     * a keyed retry finds the steps done before the first attempt died already applied and goes on.
     */
    public Mono<Void> sendStep(Object command, Caller caller, String orgId, ServerWebExchange exchange, String step) {
        String keyed = Idempotency.requestIdOf(exchange);
        AuditMetadata metadata = caller.inRequest(orgId, (keyed != null ? keyed : RequestIds.of(exchange)) + ":" + step, ChangeReasons.of(exchange));
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(command).andMetaData(metadata.asMap());
        return withPositionNoted(message, Mono.fromFuture(() -> gateway.send(message)).subscribeOn(Schedulers.boundedElastic())
                .then(Mono.defer(() -> positioned(message, exchange, Boolean.TRUE))))
                .then();
    }

    /** Sends a command of a request in these metadata, and gives the request's answer the position of what it stored. */
    public <R> Mono<R> send(Object command, AuditMetadata metadata, ServerWebExchange exchange) {
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(command).andMetaData(metadata.asMap());
        return withPositionNoted(message, this.<R>send(message).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(result -> positioned(message, exchange, result)))
                .flatMap(Mono::justOrEmpty);
    }

    /**
     * A request's command, its position noted in its own transaction ({@link CommandPositions#expect}) and the note
     * forgotten however the request ends.
     */
    private <T> Mono<T> withPositionNoted(CommandMessage<?> message, Mono<T> sentAndPositioned) {
        return Mono.defer(() -> {
                    positions.expect(message);
                    return sentAndPositioned;
                })
                .doFinally(signal -> positions.noted(message));
    }

    /** Sends a command that answers no HTTP request of its own (webhooks, schedules). */
    public <R> Mono<R> send(Object command, AuditMetadata metadata) {
        return send(GenericCommandMessage.asCommandMessage(command).andMetaData(metadata.asMap()));
    }

    private <R> Mono<R> send(CommandMessage<?> message) {
        return Mono.fromFuture(() -> gateway.send(message))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(result -> result instanceof AlreadyApplied
                        // only a keyed request whose first attempt died after its command could get here
                        ? Mono.error(new SeatLedgerException(ErrorCode.UNAVAILABLE,
                                "an earlier attempt of this request was applied but its answer was lost; read the resource"))
                        : Mono.just(result))
                .map(result -> {
                    @SuppressWarnings("unchecked") R typed = (R) result;
                    return typed;
                });
    }

    /**
     * Names the position of the command's last event on the answer (the highest, when a request sends several
     * commands): as noted in the command's transaction, or else looked up after it committed, on a thread that may block.
     */
    private <T> Mono<T> positioned(CommandMessage<?> message, ServerWebExchange exchange, T result) {
        long noted = positions.noted(message);
        if (noted >= 0) {
            return Mono.just(positioned(noted, exchange, result));
        }
        String aggregateId = TARGETS.resolveTarget(message).getIdentifier();
        return Mono.fromCallable(() -> positions.after(aggregateId))
                .subscribeOn(Schedulers.boundedElastic())
                .map(position -> positioned(position, exchange, result));
    }

    private static <T> T positioned(long position, ServerWebExchange exchange, T result) {
        String earlier = exchange.getResponse().getHeaders().getFirst(Positions.HEADER);
        long highest = earlier == null ? position : Math.max(position, Long.parseLong(earlier));
        exchange.getResponse().getHeaders().set(Positions.HEADER, Long.toString(highest));
        return result;
    }
}
