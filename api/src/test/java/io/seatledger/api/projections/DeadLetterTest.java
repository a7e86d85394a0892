package io.seatledger.api.projections;

import io.micrometer.core.instrument.MeterRegistry;
import io.seatledger.api.config.projections.DeadLetterConfiguration;
import io.seatledger.api.support.Commands;
import io.seatledger.api.support.DatabaseOwner;
import io.seatledger.api.support.IntegrationTest;
import io.seatledger.api.support.Processors;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.projections.organization.OrganizationProjection;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An event a projection keeps failing on is dead-lettered and counted; the rest carries on; a retry applies it. */
class DeadLetterTest extends IntegrationTest {

    @Autowired CommandGateway gateway;
    @Autowired JdbcTemplate jdbc;
    @Autowired DatabaseOwner owner;
    @Autowired EventProcessingConfiguration processing;
    @Autowired DeadLetterConfiguration.DeadLetterRetry retry;
    @Autowired MeterRegistry meters;

    @AfterEach
    void healTheTable() {
        owner.jdbc().execute("drop trigger if exists refuse_poison on read_model.organizations");
        owner.jdbc().execute("drop function if exists read_model.refuse_poison()");
    }

    @Test
    void aPoisonEventWaitsInTheQueueWhileOtherOrganizationsAreProjected() {
        // A table that refuses one organization's row: the projection fails on that event, every time.
        owner.jdbc().execute("""
                create function read_model.refuse_poison() returns trigger language plpgsql as $$
                begin
                    if new.name = 'Poison' then raise exception 'refused for the test'; end if;
                    return new;
                end $$""");
        owner.jdbc().execute("create trigger refuse_poison before insert on read_model.organizations for each row execute function read_model.refuse_poison()");
        Commands commands = new Commands(gateway);
        String poisoned = create(commands, "Poison");
        String healthy = create(commands, "Healthy");
        // the batch holding the poison event fails as a whole first; its retry isolates each event and dead-letters that one
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from axon.dead_letter_entry where processing_group = ? and sequence_identifier = ?",
                Integer.class, OrganizationProjection.PROCESSOR, poisoned)).isOne());
        new Processors(processing, jdbc).awaitCaughtUp(OrganizationProjection.PROCESSOR);

        assertThat(jdbc.queryForObject("select count(*) from read_model.organizations where org_id = ?", Integer.class, healthy)).isOne();
        assertThat(jdbc.queryForObject("select count(*) from read_model.organizations where org_id = ?", Integer.class, poisoned)).isZero();
        assertThat(deadLetters()).isGreaterThanOrEqualTo(1.0);

        retry.retry();
        assertThat(jdbc.queryForObject("select count(*) from axon.dead_letter_entry where sequence_identifier = ?", Integer.class, poisoned))
                .as("still failing: still queued").isOne();

        healTheTable();
        retry.retry();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from read_model.organizations where org_id = ?", Integer.class, poisoned)).isOne());
        assertThat(jdbc.queryForObject("select count(*) from axon.dead_letter_entry where sequence_identifier = ?", Integer.class, poisoned)).isZero();
        assertThat(deadLetters()).isZero();
    }

    private double deadLetters() {
        return meters.get("seatledger.projection.dead.letters").tag("processor", OrganizationProjection.PROCESSOR).gauge().value();
    }

    private static String create(Commands commands, String name) {
        String orgId = "org-" + UUID.randomUUID();
        commands.send(new CreateOrganization(orgId, name, new BillingManager("manager-" + orgId, "billing@example.com")), Commands.actor("manager-" + orgId, orgId));
        return orgId;
    }
}
