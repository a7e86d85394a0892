package io.seatledger.api.http;

import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.AlreadyApplied;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a command for an HTTP request: as the caller, in the request's id, off the event loop (the local
 * command bus runs the handler, and its JDBC work, on the sending thread).
 */
@Component
public class Dispatch {

    private final CommandGateway gateway;

    public Dispatch(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> Mono<R> send(Object command, Caller caller, String orgId, ServerWebExchange exchange) {
        String keyed = Idempotency.requestIdOf(exchange);
        return send(command, caller.inRequest(orgId, keyed != null ? keyed : RequestIds.of(exchange), ChangeReasons.of(exchange)));
    }

    /**
     * One step of a request made of several commands, in its own request id ({@code step} appended), so that
     * a keyed retry finds the steps done before the first attempt died already applied and goes on.
     */
    public Mono<Void> sendStep(Object command, Caller caller, String orgId, ServerWebExchange exchange, String step) {
        String keyed = Idempotency.requestIdOf(exchange);
        AuditMetadata metadata = caller.inRequest(orgId, (keyed != null ? keyed : RequestIds.of(exchange)) + ":" + step, ChangeReasons.of(exchange));
        return Mono.fromFuture(() -> gateway.send(GenericCommandMessage.asCommandMessage(command).withMetaData(metadata.asMap())))
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }

    public <R> Mono<R> send(Object command, AuditMetadata metadata) {
        return Mono.fromFuture(() -> gateway.send(GenericCommandMessage.asCommandMessage(command).withMetaData(metadata.asMap())))
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
}
