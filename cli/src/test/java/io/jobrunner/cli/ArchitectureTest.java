package io.jobrunner.cli;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The import rules of docs/architecture.md, checked over the main classes of every module the CLI ships. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.jobrunner");

    @Test
    void noTwoPackagesImportEachOther() {
        slices().matching("io.jobrunner.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theQueueClientImportsNothingOfJobrunner() {
        noClasses().that().resideInAPackage("io.jobrunner.client..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jobrunner.service..", "io.jobrunner.runner..",
                        "io.jobrunner.git..", "io.jobrunner.chron..", "io.jobrunner.mediawiki..", "io.jobrunner.dashboard..",
                        "io.jobrunner.cli..")
                .check(CLASSES);
    }

    @Test
    void serviceCommonImportsOnlyTheClient() {
        noClasses().that().resideInAPackage("io.jobrunner.service..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jobrunner.runner..", "io.jobrunner.git..",
                        "io.jobrunner.chron..", "io.jobrunner.mediawiki..", "io.jobrunner.dashboard..", "io.jobrunner.cli..")
                .check(CLASSES);
    }

    @Test
    void theRunnerAndTheChronKnowNeitherEachOtherNorWhatIsAboveThem() {
        noClasses().that().resideInAPackage("io.jobrunner.runner..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jobrunner.git..", "io.jobrunner.chron..",
                        "io.jobrunner.mediawiki..", "io.jobrunner.dashboard..", "io.jobrunner.cli..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.jobrunner.chron..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jobrunner.runner..", "io.jobrunner.git..",
                        "io.jobrunner.mediawiki..", "io.jobrunner.dashboard..", "io.jobrunner.cli..")
                .check(CLASSES);
    }

    @Test
    void executorsSeeTheRunOnlyThroughTheirApi() {
        noClasses().that().resideInAPackage("io.jobrunner.runner.executor..")
                .should().dependOnClassesThat().resideInAPackage("io.jobrunner.runner")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.jobrunner.git..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jobrunner.runner", "io.jobrunner.chron..",
                        "io.jobrunner.mediawiki..", "io.jobrunner.dashboard..", "io.jobrunner.cli..")
                .check(CLASSES);
    }

    @Test
    void theDashboardImportsNeitherDaemon() {
        noClasses().that().resideInAPackage("io.jobrunner.dashboard..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jobrunner.runner..", "io.jobrunner.chron..",
                        "io.jobrunner.git..", "io.jobrunner.mediawiki..", "io.jobrunner.cli..")
                .check(CLASSES);
    }

    /** The classes of the runner's slot path (docs/architecture.md), from the slot loop down. */
    private static final Set<String> SLOT_PATH = Set.of("Slot", "SlotGroup", "SlotSeat", "SlotThreads", "SlotWakeups",
            "GroupWork", "QueuePicker", "PickHold", "IdleSlots", "JobClaimer", "ClaimSizing", "JobExecution", "ReadyQueues",
            "AdditionsLog", "HintClaimGate", "Stamp", "RunnerLifecycle", "GracefulStop", "BoundedRun");

    /** No two classes of the slot path depend on each other (a nested class counts as its outer class). */
    @Test
    void theSlotPathPointsOneWay() {
        slices().assignedFrom(SLOT_PATH_CLASSES).should().beFreeOfCycles().check(CLASSES);
    }

    private static final SliceAssignment SLOT_PATH_CLASSES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getName();
            String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
            String simple = outer.substring(outer.lastIndexOf('.') + 1);
            return javaClass.getPackageName().equals("io.jobrunner.runner") && SLOT_PATH.contains(simple)
                    ? SliceIdentifier.of(simple) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the classes of the runner's slot path";
        }
    };
}
