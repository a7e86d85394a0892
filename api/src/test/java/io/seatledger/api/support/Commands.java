package io.seatledger.api.support;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.Rejection;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Sends commands as a given actor, the way the HTTP layer will. */
public final class Commands {

    private final CommandGateway gateway;

    public Commands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public static AuditMetadata actor(String userId, String orgId, String... roles) {
        return new AuditMetadata(userId, Set.of(roles), UUID.randomUUID().toString(), "", orgId);
    }

    /** Sends as this actor, in a request of its own. */
    public <R> R send(Object command, AuditMetadata as) {
        return sendInRequest(command, new AuditMetadata(as.actorId(), as.roles(), UUID.randomUUID().toString(), as.reason(), as.orgId()));
    }

    /** Sends with exactly this metadata, request id included: a retried request repeats it. */
    public <R> R sendInRequest(Object command, AuditMetadata request) {
        return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).withMetaData(request.asMap()));
    }

    public Rejection rejection(Object command, AuditMetadata as) {
        Throwable failure = catchThrowable(() -> send(command, as));
        assertThat(failure).as("the command should have been refused").isNotNull();
        return Rejection.behind(failure).orElseThrow(() -> new AssertionError("not a rejection", failure));
    }

    public ErrorCode refusal(Object command, AuditMetadata as) {
        return rejection(command, as).code();
    }
}
