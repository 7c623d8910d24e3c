package dev.ordo.executor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, read from the compiled main classes of both modules (DESIGN.md, Layout):
 * packages form a DAG, each layer uses only the layers below it, the planner is pure (no threads, no
 * native code, no processes), and only {@code posix} touches jnr. A rule that fails names the class
 * and the dependency that broke it.
 */
class ArchitectureTest {

    static final String P = "dev.ordo.planner.";
    static final String X = "dev.ordo.executor.";
    static final String[] JDK = {"java..", "javax.."};

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // The planner arrives as a directory or as its jar, depending on the Maven phase: both are read.
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ordo");
        // Both modules' classes were found: a rule over nothing would pass for nothing.
        assertTrue(main.containPackage(P + "engine") && main.containPackage(X + "posix"), "classes imported");
        assertTrue(main.size() > 200, "classes imported: " + main.size());
    }

    static String[] with(String... packages) {
        String[] out = new String[packages.length + JDK.length];
        System.arraycopy(JDK, 0, out, 0, JDK.length);
        System.arraycopy(packages, 0, out, JDK.length, packages.length);
        return out;
    }

    @Test
    void everyPackageIsInACycleFreeGraph() {
        slices().matching("dev.ordo.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void diagIsTheLeaf() {
        classes().that().resideInAPackage(P + "diag").should().onlyDependOnClassesThat()
                .resideInAnyPackage(with(P + "diag")).check(main);
    }

    @Test
    void theModelKnowsOnlyDiagnostics() {
        classes().that().resideInAPackage(P + "model").should().onlyDependOnClassesThat()
                .resideInAnyPackage(with(P + "diag", P + "model")).check(main);
    }

    /** One reader per format, none importing another; what they share is in {@code config} itself. */
    @Test
    void eachReaderStandsOnItsOwn() {
        for (String format : new String[] {"yaml", "upstart", "systemd"}) {
            classes().that().resideInAPackage(P + "config." + format).should().onlyDependOnClassesThat()
                    .resideInAnyPackage(with(P + "diag", P + "model", P + "config", P + "config." + format,
                            "org.yaml.snakeyaml.."))
                    .check(main);
        }
        classes().that().resideInAPackage(P + "config").should().onlyDependOnClassesThat()
                .resideInAnyPackage(with(P + "diag", P + "model", P + "config")).check(main);
    }

    /** The rules plan and engine share are pure functions over the model. */
    @Test
    void theSharedRulesStandOnTheModel() {
        classes().that().resideInAPackage(P + "rules").should().onlyDependOnClassesThat()
                .resideInAnyPackage(with(P + "diag", P + "model", P + "rules")).check(main);
    }

    /** The engine holds the rules and nothing else: the model in, effects out (no plan, no checks, no I/O). */
    @Test
    void theEngineStandsOnTheModelAlone() {
        classes().that().resideInAPackage(P + "engine..").should().onlyDependOnClassesThat()
                .resideInAnyPackage(with(P + "diag", P + "model", P + "rules", P + "engine..")).check(main);
        noClasses().that().resideInAPackage(P + "engine..").should().dependOnClassesThat()
                .resideInAnyPackage("java.io..", "java.nio..", "java.net..").check(main);
    }

    @Test
    void checksComeBeforePlansAndPlansBeforeRendering() {
        noClasses().that().resideInAPackage(P + "check").should().dependOnClassesThat()
                .resideInAnyPackage(P + "plan..", P + "render..", P + "engine..").check(main);
        noClasses().that().resideInAPackage(P + "plan..").should().dependOnClassesThat()
                .resideInAnyPackage(P + "render..").check(main);
    }

    /** check and plan must start fast and stay portable: no threads, no processes, no native code. */
    @Test
    void thePlannerIsPure() {
        noClasses().that().resideInAPackage("dev.ordo.planner..").should().dependOnClassesThat()
                .resideInAnyPackage("java.util.concurrent..", "jnr..", "com.kenai..", "dev.ordo.executor..")
                .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, ProcessBuilder.class, Runtime.class)
                .check(main);
        noMethods().that().areDeclaredInClassesThat().resideInAPackage("dev.ordo..")
                .should().haveModifier(JavaModifier.NATIVE).check(main);
    }

    /** Loading jnr costs ~250 ms and needs a native library: only the supervisor's OS layer may. */
    @Test
    void onlyPosixTouchesJnr() {
        noClasses().that().resideOutsideOfPackage(X + "posix").should().dependOnClassesThat()
                .resideInAnyPackage("jnr..", "com.kenai..").check(main);
    }

    /** ProcessBuilder's and Runtime.exec's children lose their exit status to a waitpid(-1) reaper. */
    @Test
    void theSupervisorStartsProcessesOnlyThroughItsReaper() {
        noClasses().that().resideInAnyPackage(X + "posix", X + "runtime", X + "control")
                .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
                .orShould().callMethod(Runtime.class, "exec", String[].class)
                .orShould().callMethod(Runtime.class, "exec", String.class)
                .check(main);
    }

    /** The executor's layers: posix and control at the bottom, the runtime above them, the command line on top. */
    @Test
    void theExecutorIsLayered() {
        classes().that().resideInAPackage(X + "posix").should().onlyDependOnClassesThat()
                .resideInAnyPackage(with(X + "posix", P + "model", P + "diag", "jnr..", "com.kenai..")).check(main);
        noClasses().that().resideInAnyPackage(X + "posix", X + "control").should().dependOnClassesThat()
                .resideInAnyPackage(X + "runtime", X + "cli").check(main);
        noClasses().that().resideInAPackage(X + "runtime").should().dependOnClassesThat()
                .resideInAPackage(X + "cli").check(main);
    }

    /** Names from the domain, each said once: no two main types share a simple name (Kind, State, Result...). */
    @Test
    void noTwoTypesShareASimpleName() {
        java.util.Map<String, java.util.List<String>> byName = new java.util.TreeMap<>();
        for (com.tngtech.archunit.core.domain.JavaClass c : main) {
            if (c.isAnonymousClass() || c.getSimpleName().isEmpty() || c.getSimpleName().equals("package-info")) continue;
            byName.computeIfAbsent(c.getSimpleName(), k -> new java.util.ArrayList<>()).add(c.getName());
        }
        java.util.List<String> twice = byName.values().stream().filter(l -> l.size() > 1).map(Object::toString).toList();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), twice);
        assertTrue(byName.size() > 200, "types seen: " + byName.size());
    }

    /** Domain names, never the names of nothing in particular. */
    @Test
    void noManagerUtilOrHelper() {
        noClasses().should().haveSimpleNameEndingWith("Manager").orShould().haveSimpleNameEndingWith("Util")
                .orShould().haveSimpleNameEndingWith("Utils").orShould().haveSimpleNameEndingWith("Helper")
                .check(main);
    }

    /** The rules are not vacuous: a class that breaks one is caught. */
    @Test
    void aRuleCatchesABreach() {
        JavaClasses witness = new ClassFileImporter().importClasses(Witness.class);
        ArchRule noProcesses = noClasses().should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class);
        assertThrows(AssertionError.class, () -> noProcesses.check(witness));
    }

    /** Never run: it only has to compile to the reference the rule must catch. */
    static final class Witness {
        static void never() throws IOException {
            new ProcessBuilder("true").start();
        }
    }
}
