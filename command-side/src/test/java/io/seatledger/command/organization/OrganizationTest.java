package io.seatledger.command.organization;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.organization.AppointBillingManager;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.BillingManagerChanged;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.organization.OrganizationCreated;
import io.seatledger.messages.organization.OrganizationSummary;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.axonframework.test.matchers.Matchers.matches;

class OrganizationTest {

    static final String ORG = "org-1";
    static final BillingManager ALICE = new BillingManager("alice", "alice@acme.example");
    static final BillingManager BOB = new BillingManager("bob", "bob@acme.example");

    private AggregateTestFixture<Organization> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Organization.class);
    }

    static Map<String, String> as(String userId, String... roles) {
        return new AuditMetadata(userId, Set.of(roles), "req", "", ORG).asMap();
    }

    static void expectRejection(ResultValidator<Organization> result, ErrorCode code) {
        result.expectNoEvents().expectException(matches(e -> e instanceof SeatLedgerException s && s.code() == code));
    }

    @Test
    void theCreatorBecomesItsBillingManager() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganization(ORG, " Acme ", ALICE), as("alice"))
                .expectEvents(new OrganizationCreated(ORG, "Acme", ALICE))
                .expectResultMessagePayload(new OrganizationSummary(ORG, "Acme", ALICE, true));
    }

    @Test
    void creatingItAgainAnswersTheExistingOrganization() {
        fixture.given(new OrganizationCreated(ORG, "Acme", ALICE))
                .when(new CreateOrganization(ORG, "Renamed", BOB), as("bob"))
                .expectNoEvents()
                .expectResultMessagePayload(new OrganizationSummary(ORG, "Acme", ALICE, false));
    }

    @Test
    void rejectsANamelessOrganizationOrABillingManagerWithoutAddress() {
        expectRejection(fixture.givenNoPriorActivity().when(new CreateOrganization(ORG, " ", ALICE)), ErrorCode.VALIDATION_FAILED);
        expectRejection(fixture.givenNoPriorActivity().when(new CreateOrganization(ORG, "Acme", new BillingManager("alice", "nope"))), ErrorCode.VALIDATION_FAILED);
    }

    @Test
    void theBillingManagerHandsOverToSomeoneElse() {
        fixture.given(new OrganizationCreated(ORG, "Acme", ALICE))
                .when(new AppointBillingManager(ORG, BOB), as("alice"))
                .expectEvents(new BillingManagerChanged(ORG, ALICE, BOB))
                // the answer is the organization as it now stands
                .expectResultMessagePayload(new OrganizationSummary(ORG, "Acme", BOB, false));
    }

    @Test
    void anAdminMayAppointTheBillingManager() {
        fixture.given(new OrganizationCreated(ORG, "Acme", ALICE))
                .when(new AppointBillingManager(ORG, BOB), as("support", "admin"))
                .expectEvents(new BillingManagerChanged(ORG, ALICE, BOB));
    }

    @Test
    void nobodyElseMay() {
        expectRejection(fixture.given(new OrganizationCreated(ORG, "Acme", ALICE))
                .when(new AppointBillingManager(ORG, BOB), as("bob")), ErrorCode.FORBIDDEN);
        expectRejection(fixture.given(new OrganizationCreated(ORG, "Acme", ALICE))
                .when(new AppointBillingManager(ORG, BOB), as("auditor-1", "auditor")), ErrorCode.FORBIDDEN);
    }

    @Test
    void appointingTheCurrentManagerChangesNothing() {
        fixture.given(new OrganizationCreated(ORG, "Acme", ALICE))
                .when(new AppointBillingManager(ORG, ALICE), as("alice"))
                .expectNoEvents();
    }

    /** A name, a user id or an address with a control character, or a command whose metadata carry one, stores nothing. */
    @Test
    void refusesControlCharactersInWhatItWouldStore() {
        for (String poison : java.util.List.of("\u0000", "\u001b", "\u009b", "\u2029", "\udc00")) {
            expectRejection(fixture.givenNoPriorActivity().when(new CreateOrganization(ORG, "Ac" + poison + "me", ALICE), as("alice")),
                    ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.givenNoPriorActivity().when(new CreateOrganization(ORG, "Acme", new BillingManager("alice" + poison, "alice@acme.example")),
                    as("alice")), ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.givenNoPriorActivity().when(new CreateOrganization(ORG, "Acme", ALICE), as("alice" + poison)),
                    ErrorCode.VALIDATION_FAILED);
            expectRejection(fixture.given(new OrganizationCreated(ORG, "Acme", ALICE))
                    .when(new AppointBillingManager(ORG, new BillingManager("bob", "bob" + poison + "@acme.example")), as("alice")), ErrorCode.VALIDATION_FAILED);
        }
    }

    @Test
    void namesAndAddressesAreStoredInNfc() {
        BillingManager decomposed = new BillingManager("zoe", "Zoe\u0308@acme.example");
        BillingManager composed = new BillingManager("zoe", "Zo\u00eb@acme.example");
        fixture.givenNoPriorActivity()
                .when(new CreateOrganization(ORG, " Cafe\u0301 ", decomposed), as("zoe"))
                .expectEvents(new OrganizationCreated(ORG, "Caf\u00e9", composed));
        fixture.given(new OrganizationCreated(ORG, "Acme", ALICE))
                .when(new AppointBillingManager(ORG, decomposed), as("alice"))
                .expectEvents(new BillingManagerChanged(ORG, ALICE, composed));
    }
}
