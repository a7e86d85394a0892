package io.seatledger.query.audit;

import io.r2dbc.spi.Readable;
import io.seatledger.auditformat.Checkpoint;
import io.seatledger.query.Cursor;
import io.seatledger.query.Page;
import io.seatledger.query.TenantScope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Reads an organization's signed checkpoints (in the order they were made, a page at a time or all of them for
 * verification) and the public keys that ever signed one. Checkpoints are read as the tenant's reader; keys are public.
 */
@Component
public class CheckpointReader {

    /** A checkpoint as the API shows it. */
    public record CheckpointView(String checkpointId, long upTo, String headHash, Instant signedAt, String keyId, String signature) {
    }

    private record Row(long number, Checkpoint checkpoint) {
    }

    private final TenantScope tenant;
    private final DatabaseClient database;

    public CheckpointReader(TenantScope tenant, DatabaseClient database) {
        this.tenant = tenant;
        this.database = database;
    }

    /** The checkpoints after the one numbered {@code after} (the cursor {@code next} of the page before). */
    public Mono<Page<CheckpointView>> page(String orgId, Long after, Integer limit) {
        int size = Cursor.limit(limit);
        return tenant.many(orgId, client -> client.sql("""
                                select number, checkpoint_id, org_id, up_to, head_hash, signed_at, key_id, signature from audit.checkpoints
                                where org_id = :org and number > :after order by number limit :rows""")
                        .bind("org", orgId).bind("after", after == null ? 0L : after).bind("rows", size + 1)
                        .map(CheckpointReader::row).all())
                .collectList()
                .map(rows -> {
                    Page<Row> page = Page.of(rows, size, row -> String.valueOf(row.number()));
                    return new Page<>(page.items().stream().map(row -> view(row.checkpoint())).toList(), page.next());
                });
    }

    public Mono<CheckpointView> one(String orgId, String checkpointId) {
        return tenant.one(orgId, client -> client.sql("""
                                select number, checkpoint_id, org_id, up_to, head_hash, signed_at, key_id, signature from audit.checkpoints
                                where org_id = :org and checkpoint_id = :id""")
                        .bind("org", orgId).bind("id", checkpointId).map(CheckpointReader::row).one())
                .map(row -> view(row.checkpoint()));
    }

    /** Every checkpoint of {@code orgId}, for verification. */
    public Mono<List<Checkpoint>> all(String orgId) {
        return tenant.many(orgId, client -> client.sql("""
                                select number, checkpoint_id, org_id, up_to, head_hash, signed_at, key_id, signature from audit.checkpoints
                                where org_id = :org order by number""")
                        .bind("org", orgId).map(CheckpointReader::row).all())
                .map(Row::checkpoint)
                .collectList();
    }

    /** The JWK {@code x} of every key that signed a checkpoint, oldest first. */
    public Flux<String> signingKeys() {
        return database.sql("select x from audit.signing_keys order by first_used, kid").map(row -> row.get("x", String.class)).all();
    }

    public static CheckpointView view(Checkpoint checkpoint) {
        return new CheckpointView(checkpoint.checkpointId(), checkpoint.upTo(), checkpoint.headHash(), checkpoint.signedAt(), checkpoint.keyId(),
                checkpoint.signature());
    }

    private static Row row(Readable row) {
        return new Row(row.get("number", Long.class), new Checkpoint(row.get("checkpoint_id", String.class), row.get("org_id", String.class),
                row.get("up_to", Long.class), row.get("head_hash", String.class), row.get("signed_at", OffsetDateTime.class).toInstant(),
                row.get("key_id", String.class), row.get("signature", String.class)));
    }
}
