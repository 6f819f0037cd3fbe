package dev.ingest.plugin.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ingest.plugin.config.PluginConfiguration;
import dev.ingest.plugin.ingestion.pipeline.EventPipeline;
import dev.ingest.plugin.ingestion.pipeline.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layering of plugin-service, as the class files have it: the pipeline runs the steps and only its construction
 * knows their order; steps never reach each other; person processing sits below the pipeline; repositories only
 * speak to their store.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.ingest.plugin");

    /** A concrete step: a class (not one of the step interfaces) that is a {@link Step}. */
    private static boolean isStep(JavaClass javaClass) {
        return javaClass.isAssignableTo(Step.class) && !javaClass.isInterface();
    }

    private static JavaClass outermost(JavaClass javaClass) {
        JavaClass current = javaClass;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }

    @Test
    void stepsNeverDependOnOtherSteps() {
        List<String> violations = new ArrayList<>();
        for (JavaClass origin : CLASSES) {
            JavaClass step = outermost(origin);
            if (!isStep(step)) {
                continue;
            }
            origin.getDirectDependenciesFromSelf().stream()
                    .filter(dependency -> isStep(dependency.getTargetClass()))
                    .filter(dependency -> !outermost(dependency.getTargetClass()).equals(step))
                    .forEach(dependency -> violations.add(dependency.getDescription()));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void onlyThePipelineRunsStepsAndOnlyItsConstructionNamesThem() {
        List<String> violations = new ArrayList<>();
        for (JavaClass origin : CLASSES) {
            JavaClass owner = outermost(origin);
            if (owner.isEquivalentTo(EventPipeline.class) || owner.isEquivalentTo(PluginConfiguration.class)) {
                continue;
            }
            for (JavaMethodCall call : origin.getMethodCallsFromSelf()) {
                if (call.getTargetOwner().isAssignableTo(Step.class) && call.getName().equals("apply")
                        && !outermost(call.getTargetOwner()).equals(owner)) {
                    violations.add(call.getDescription());
                }
            }
            if (!isStep(owner)) {
                origin.getDirectDependenciesFromSelf().stream()
                        .filter(dependency -> isStep(dependency.getTargetClass()))
                        .forEach(dependency -> violations.add(dependency.getDescription()));
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void personProcessingSitsBelowThePipeline() {
        noClasses().that().resideInAPackage("dev.ingest.plugin.person..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ingest.plugin.ingestion.pipeline..",
                        "dev.ingest.plugin.ingestion.step..", "dev.ingest.plugin.ingestion.consumer..", "dev.ingest.plugin.apps..",
                        "dev.ingest.plugin.config..")
                .check(CLASSES);
    }

    @Test
    void thePipelineCoreKnowsNoConcreteStep() {
        noClasses().that().resideInAPackage("dev.ingest.plugin.ingestion.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ingest.plugin.ingestion.step..", "dev.ingest.plugin.apps..",
                        "dev.ingest.plugin.ingestion.consumer..", "dev.ingest.plugin.config..")
                .check(CLASSES);
    }

    @Test
    void repositoriesDependOnNoStepPipelineOrConsumer() {
        noClasses().that().haveSimpleNameEndingWith("Repository")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ingest.plugin.ingestion.step..",
                        "dev.ingest.plugin.ingestion.pipeline..", "dev.ingest.plugin.ingestion.consumer..", "dev.ingest.plugin.apps..")
                .check(CLASSES);
    }
}
