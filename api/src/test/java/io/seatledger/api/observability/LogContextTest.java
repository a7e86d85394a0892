package io.seatledger.api.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.seatledger.api.http.ApiExceptionHandler;
import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.LogProbe;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log line written on another thread while a request is served carries the request's id and the caller's
 * organization; a failed request's line shows its path without an invitation's token.
 */
class LogContextTest extends ApiTest {

    @Test
    void linesOfARequestCarryItsRequestIdAndOrganization() {
        Logger logger = (Logger) LogProbe.LOG;
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            String requestId = manager.get().uri(LogProbe.PATH).exchange().expectStatus().isOk()
                    .returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");
            assertThat(requestId).isNotBlank();
            assertThat(lines.list).hasSize(1);
            assertThat(lines.list.get(0).getThreadName()).startsWith("boundedElastic");
            assertThat(lines.list.get(0).getMDCPropertyMap()).containsEntry(LogContext.REQUEST_ID, requestId).containsEntry(LogContext.ORG_ID, orgId);
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void aFailedRequestsLineHidesTheInvitationTokenInItsPath() {
        String token = "c2VjcmV0LWludml0YXRpb24tdG9rZW4";
        Logger logger = (Logger) LoggerFactory.getLogger(ApiExceptionHandler.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            manager.get().uri(LogProbe.FAILING_INVITATION_PATH, token).exchange().expectStatus().isEqualTo(500);
            assertThat(lines.list).hasSize(1);
            assertThat(lines.list.get(0).getFormattedMessage()).contains("/api/v1/invitations/[token]/test-failure").doesNotContain(token);
        } finally {
            logger.detachAppender(lines);
        }
    }
}
