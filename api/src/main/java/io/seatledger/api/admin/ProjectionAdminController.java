package io.seatledger.api.admin;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.projections.counters.RedisCounterRebuild;
import io.seatledger.projections.rebuild.ProjectionProgress;
import io.seatledger.projections.rebuild.ShadowRebuild;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Map;

/**
 * Projections for operators ({@code admin}): where each one is, and a replay that rebuilds a read model
 * beside the live one (PostgreSQL projections: shadow tables swapped in when caught up; Redis counters:
 * rebuilt from PostgreSQL) while readers keep getting answers.
 */
@Tag(name = "Administration", description = "Operators: projections' progress and rebuilds")
@RestController
@RequestMapping("/api/v1/admin/projections")
public class ProjectionAdminController {

    public static final String REDIS_COUNTERS = "redis-counters";
    private static final Logger log = LoggerFactory.getLogger(ProjectionAdminController.class);

    private final ProjectionProgress progress;
    private final ShadowRebuild rebuilds;
    private final RedisCounterRebuild redisRebuild;

    public ProjectionAdminController(ProjectionProgress progress, ShadowRebuild rebuilds, RedisCounterRebuild redisRebuild) {
        this.progress = progress;
        this.rebuilds = rebuilds;
        this.redisRebuild = redisRebuild;
    }

    @Operation(operationId = "listProjections", summary = "List the projections and their progress (admins)")
    @ApiStatuses(problems = ErrorCode.FORBIDDEN)
    @GetMapping
    public Mono<List<ProjectionProgress.Progress>> projections(@AuthenticationPrincipal Caller caller) {
        caller.require(Caller.ADMIN);
        return Mono.fromCallable(progress::all).subscribeOn(Schedulers.boundedElastic());
    }

    @Operation(operationId = "replayProjection", summary = "Rebuild a projection from the events (admins)")
    @ApiStatuses(success = 202, problems = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND})
    @PostMapping("/{name}/replay")
    public Mono<ResponseEntity<Map<String, String>>> replay(@PathVariable String name, @AuthenticationPrincipal Caller caller) {
        caller.require(Caller.ADMIN);
        return Mono.fromCallable(() -> {
            if (REDIS_COUNTERS.equals(name)) {
                Schedulers.boundedElastic().schedule(() -> {
                    try {
                        redisRebuild.rebuild();
                    } catch (RuntimeException e) {
                        log.error("rebuilding the Redis counters failed: {}", e.getClass().getName());
                    }
                });
                return accepted(name);
            }
            if (!rebuilds.rebuildable().contains(name)) {
                throw new SeatLedgerException(ErrorCode.NOT_FOUND, "no replayable projection of that name");
            }
            rebuilds.start(name);
            return accepted(name);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private static ResponseEntity<Map<String, String>> accepted(String name) {
        return ResponseEntity.accepted().body(Map.of("name", name, "status", "rebuilding"));
    }
}
