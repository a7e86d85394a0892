package io.seatledger.api.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.seatledger.messages.common.AlreadyApplied;
import io.seatledger.messages.common.Rejection;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Duration;

/**
 * {@code seatledger_commands_seconds{command,outcome,code}}: every handled command, timed from the start of
 * its handling to the end of its unit of work (its events stored, or rolled back), with a latency histogram.
 * Outcomes: {@code applied}, {@code repeated} (a request id already handled), {@code rejected} (a business
 * rule, {@code code} = the error code), {@code failed}. All tags are bounded: command types and error codes
 * are enumerable, tenants are not tags.
 */
public class CommandMetrics implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final MeterRegistry meters;

    public CommandMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Timer.Sample sample = Timer.start(meters);
        String command = unitOfWork.getMessage().getPayloadType().getSimpleName();
        unitOfWork.onCleanup(done -> {
            String outcome = "applied";
            String code = "none";
            if (done.getExecutionResult() == null) {
                outcome = "failed";
            } else if (done.getExecutionResult().isExceptionResult()) {
                Throwable failure = done.getExecutionResult().getExceptionResult();
                Rejection rejection = Rejection.behind(failure).orElse(null);
                outcome = rejection != null ? "rejected" : "failed";
                code = rejection != null ? rejection.code().name() : "none";
            } else if (done.getExecutionResult().getResult() != null
                    && done.getExecutionResult().getResult().getPayload() instanceof AlreadyApplied) {
                outcome = "repeated";
            }
            sample.stop(Timer.builder("seatledger.commands").description("Handled commands by type and outcome, from handling to commit")
                    .tags("command", command, "outcome", outcome, "code", code)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                    .register(meters));
        });
        return chain.proceed();
    }
}
