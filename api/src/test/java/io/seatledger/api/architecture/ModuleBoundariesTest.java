package io.seatledger.api.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.seatledger.messages.common.OrganizationEvent;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

import java.lang.annotation.Annotation;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module boundaries of docs/architecture.md, written down: Maven already keeps a module from using one it does
 * not depend on; these rules say what each module may know of the world outside (stores, HTTP, Stripe, Spring) and
 * how its packages relate. A test, not a convention, so a shortcut shows up in the build.
 */
class ModuleBoundariesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.seatledger");

    private static final String[] STORES = {"java.sql..", "javax.sql..", "org.springframework.jdbc..", "io.r2dbc..",
            "org.springframework.r2dbc..", "io.lettuce..", "org.springframework.data.redis..", "org.flywaydb.."};
    private static final String[] HTTP = {"org.springframework.web..", "org.springframework.http..", "reactor.netty..",
            "io.seatledger.api.."};

    @Test
    void theMessagesKnowNoStoreNoHttpAndNoSpring() {
        noClasses().that().resideInAPackage("io.seatledger.messages..")
                .should().dependOnClassesThat().resideInAnyPackage(STORES)
                .orShould().dependOnClassesThat().resideInAnyPackage(HTTP)
                .orShould().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(CLASSES);
    }

    @Test
    void theWriteModelKnowsNoSpringNoStoreAndNoReadModel() {
        noClasses().that().resideInAPackage("io.seatledger.command..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .orShould().dependOnClassesThat().resideInAnyPackage(STORES)
                .orShould().dependOnClassesThat().resideInAnyPackage(HTTP)
                .orShould().dependOnClassesThat().resideInAnyPackage("io.seatledger.projections..", "io.seatledger.query..",
                        "io.seatledger.readmodel..", "io.seatledger.billing..")
                .check(CLASSES);
    }

    @Test
    void projectionsDecideNothingAndServeNobody() {
        noClasses().that().resideInAPackage("io.seatledger.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seatledger.command..", "io.seatledger.query..", "io.seatledger.billing..")
                .orShould().dependOnClassesThat().resideInAnyPackage(HTTP)
                .check(CLASSES);
    }

    @Test
    void theQuerySideReadsWithoutBlockingAndWithoutTheProjections() {
        noClasses().that().resideInAPackage("io.seatledger.query..")
                .should().dependOnClassesThat().resideInAnyPackage("io.seatledger.projections..", "io.seatledger.command..",
                        "io.seatledger.billing..")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..")
                .orShould().dependOnClassesThat().resideInAnyPackage(HTTP)
                .check(CLASSES);
    }

    /** The audit format is what an auditor's offline verifier runs too: the JDK and Jackson, nothing of the service. */
    @Test
    void theAuditFormatKnowsOnlyTheJdkAndJackson() {
        classes().that().resideInAPackage("io.seatledger.auditformat..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "tools.jackson..", "io.seatledger.auditformat..")
                .check(CLASSES);
    }

    @Test
    void onlyTheBillingModuleKnowsStripe() {
        noClasses().that().resideOutsideOfPackages("io.seatledger.billing..", "io.seatledger.api.billing..")
                .should().dependOnClassesThat().resideInAPackage("com.stripe..")
                .check(CLASSES);
    }

    /**
     * Controllers translate HTTP into messages and answers: they read through the query side and never touch an
     * aggregate or a store. Two exceptions, each for a reason: the resize preview runs the write model's own pricing
     * functions (pure, stateless), so that a preview and the resize it previews agree to the cent; the operators'
     * projection routes start and watch the projections' rebuilds. How far each read model has got (the projections'
     * positions) is open to every route: a read waits on it to show a change the caller made.
     */
    @Test
    void controllersSendMessagesAndReadThroughTheQuerySide() {
        DescribedPredicate<JavaClass> writeModelOrStore = JavaClass.Predicates.resideInAnyPackage("io.seatledger.command..",
                        "org.springframework.jdbc..", "io.r2dbc..", "io.lettuce..", "org.springframework.data.redis..")
                .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.seatledger.command.pricing..")));
        noClasses().that().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat(writeModelOrStore)
                .check(CLASSES);
        noClasses().that().areAnnotatedWith(RestController.class).and().resideOutsideOfPackage("io.seatledger.api.admin..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.seatledger.projections..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.seatledger.projections.positions.."))))
                .check(CLASSES);
    }

    /** Packages by feature inside each module depend on each other one way only. */
    @Test
    void theFeaturePackagesOfEachModuleHaveNoCycles() {
        slices().matching("io.seatledger.(*).(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void eventsAndCommandsAreRecords() {
        classes().that().implement(OrganizationEvent.class).and().areNotInterfaces().should(beRecords()).check(CLASSES);
        classes().that().resideInAPackage("io.seatledger.messages..").and(haveAFieldAnnotatedWith(TargetAggregateIdentifier.class))
                .should(beRecords()).check(CLASSES);
    }

    /** A record's components carry their field annotations, so a command's target id shows as an annotated field. */
    private static DescribedPredicate<JavaClass> haveAFieldAnnotatedWith(Class<? extends Annotation> annotation) {
        return DescribedPredicate.describe("have a field annotated with @" + annotation.getSimpleName(),
                type -> type.getFields().stream().anyMatch(field -> field.isAnnotatedWith(annotation)));
    }

    private static ArchCondition<JavaClass> beRecords() {
        return new ArchCondition<>("be records") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean record = type.reflect().isRecord();
                events.add(new SimpleConditionEvent(type, record, type.getName() + (record ? " is" : " is not") + " a record"));
            }
        };
    }
}
