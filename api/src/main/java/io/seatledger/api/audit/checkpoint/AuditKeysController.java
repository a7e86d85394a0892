package io.seatledger.api.audit.checkpoint;

import io.seatledger.api.http.ApiStatuses;
import io.seatledger.auditformat.SigningKeys;
import io.seatledger.query.audit.CheckpointReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The public keys that sign audit checkpoints, as a JWKS (no authentication; rate limited per client address like
 * every anonymous route): every key that ever signed one, so that old checkpoints stay verifiable after a rotation,
 * and the key signing now.
 */
@Tag(name = "Audit checkpoints")
@RestController
public class AuditKeysController {

    private final CheckpointReader checkpoints;
    private final CheckpointSigningKey key;

    public AuditKeysController(CheckpointReader checkpoints, CheckpointSigningKey key) {
        this.checkpoints = checkpoints;
        this.key = key;
    }

    @Operation(operationId = "getAuditKeys", summary = "The public keys checkpoints are signed with (no token needed)")
    @ApiStatuses
    @SecurityRequirements
    @GetMapping("/api/v1/audit/keys")
    public Mono<ResponseEntity<Map<String, List<Map<String, String>>>>> keys() {
        return checkpoints.signingKeys().concatWith(Flux.just(key.x())).distinct().map(SigningKeys::jwk).collectList()
                .map(keys -> ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5))).body(Map.of("keys", keys)));
    }
}
