package io.seatledger.api.entitlement;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.security.Caller;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.query.entitlement.Entitlement;
import io.seatledger.query.entitlement.EntitlementReader;
import io.seatledger.query.usage.Usage;
import io.seatledger.query.usage.UsageReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The hot path: is this user entitled, and how much of the organization's capacity is used (Redis, PostgreSQL when it must). */
@Tag(name = "Entitlements", description = "Who holds a seat, and how the organization uses its seats")
@RestController
@RequestMapping("/api/v1")
public class EntitlementController {

    private final EntitlementReader entitlements;
    private final UsageReader usage;

    public EntitlementController(EntitlementReader entitlements, UsageReader usage) {
        this.entitlements = entitlements;
        this.usage = usage;
    }

    @Operation(operationId = "getEntitlement", summary = "Read a user's entitlements")
    @ApiStatuses(problems = {ErrorCode.VALIDATION_FAILED, ErrorCode.NOT_FOUND})
    @GetMapping("/orgs/{orgId}/entitlements/{userId}")
    public Mono<Entitlement> entitlement(@PathVariable String orgId, @PathVariable String userId, @AuthenticationPrincipal Caller caller) {
        String tenant = caller.tenant(orgId);
        if (userId.isBlank() || userId.length() > 255) {
            throw new InvalidRequest("userId", "must be 1 to 255 characters");
        }
        return entitlements.entitlement(tenant, userId);
    }

    @Operation(operationId = "getMyEntitlements", summary = "Read the caller's own entitlements")
    @ApiStatuses(problems = ErrorCode.FORBIDDEN)
    @GetMapping("/me/entitlements")
    public Mono<Entitlement> mine(@AuthenticationPrincipal Caller caller) {
        return entitlements.entitlement(caller.ownOrganization(), caller.userId());
    }

    @Operation(operationId = "getUsage", summary = "Read the organization's seat usage")
    @ApiStatuses(problems = ErrorCode.NOT_FOUND)
    @GetMapping("/orgs/{orgId}/usage")
    public Mono<Usage> usage(@PathVariable String orgId, @AuthenticationPrincipal Caller caller) {
        return usage.usage(caller.tenant(orgId));
    }
}
