package io.seatledger.api.audit.checkpoint;

import io.seatledger.api.support.ApiTest;
import io.seatledger.api.support.AuditTrails;
import io.seatledger.api.support.DatabaseOwner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The periodic checkpoints: one recurring task per cluster, and an organization is due exactly when its trail has
 * grown, within the complete part, beyond its last checkpoint; a run checkpoints at most its bound.
 */
class ScheduledCheckpointsTest extends ApiTest {

    @Autowired
    private CheckpointSigner signer;

    @Autowired
    private DatabaseOwner owner;

    @Test
    void anOrganizationIsDueOnlyWhenItsTrailGrewSinceItsLastCheckpoint() {
        String poolId = buyPool(3);
        AuditTrails.awaitComplete(owner, signer);
        await().atMost(Duration.ofSeconds(30)).until(() -> signer.due(Integer.MAX_VALUE).contains(orgId));

        signer.checkpoint(orgId);
        assertThat(signer.due(Integer.MAX_VALUE)).doesNotContain(orgId);

        assign(poolId, "late@example.com");
        AuditTrails.awaitComplete(owner, signer);
        assertThat(signer.due(Integer.MAX_VALUE)).contains(orgId);
        assertThat(signer.due(1)).hasSize(1);

        int made = ScheduledCheckpoints.run(signer, Integer.MAX_VALUE);
        assertThat(made).isPositive();
        assertThat(signer.due(Integer.MAX_VALUE)).doesNotContain(orgId);
        assertThat(owner.jdbc().queryForObject("select count(*) from audit.checkpoints where org_id = ?", Integer.class, orgId)).isEqualTo(2);
    }

    @Test
    void theRecurringTaskIsScheduledOncePerCluster() {
        assertThat(owner.jdbc().queryForObject("select count(*) from axon.scheduled_tasks where task_name = 'audit-checkpoints'", Integer.class))
                .isEqualTo(1);
    }
}
