package dev.switchboard.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Layer rules from docs/ARCHITECTURE: they fail the build instead of rotting. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.switchboard");
    }

    @Test
    void inferenceStaysPureJava() {
        noClasses().that().resideInAPackage("dev.switchboard.inference..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dev.switchboard.app..",
                        "dev.switchboard.persistence..", "jakarta.persistence..", "org.hibernate..")
                .because("the models run headless in the CLI and in tests; only app wires them to the store and UI")
                .check(classes);
    }

    @Test
    void persistenceKnowsNoUiAndNoModels() {
        noClasses().that().resideInAPackage("dev.switchboard.persistence..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dev.switchboard.app..",
                        "dev.switchboard.inference..", "dev.langchain4j..")
                .because("the store is shared by the window, the CLI and the intake server")
                .check(classes);
    }

    @Test
    void onlyTheCommandLinePrintsToTheConsole() {
        noClasses().that().resideOutsideOfPackages("dev.switchboard.app.cli..", "dev.switchboard.app")
                .and().resideOutsideOfPackage("dev.switchboard.inference.eval..")
                .and().resideOutsideOfPackage("dev.switchboard.inference.dup..")
                .and().resideOutsideOfPackage("dev.switchboard.inference.llm..")
                .should().accessField(System.class, "out")
                .because("the window and services report through the UI and loggers, not stdout")
                .check(classes);
    }

    @Test
    void viewsDoNotTalkToHibernateDirectly() {
        noClasses().that().resideInAnyPackage("dev.switchboard.app.queue..", "dev.switchboard.app.ticket..",
                        "dev.switchboard.app.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hibernate..", "jakarta.persistence..",
                        "dev.langchain4j..")
                .because("views and view models go through the store and engine services")
                .check(classes);
    }
}
