package dev.bristle;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The house's layering, checked on the compiled classes of {@code src/main} (tests may cross the lines): the ml core
 * (with the two leaves it shares) is plain Java, resources stay apart and thin, the web package is the top floor, and
 * the top-level packages have no cycles. The rooms stay small and say what they are for: the size and comment rules read
 * the sources of {@code src/main} with javac's parser ({@link MainSources}).
 */
@AnalyzeClasses(packages = "dev.bristle", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String RESOURCE_PATH = "jakarta.ws.rs.Path";
    private static final String ENTITY = "jakarta.persistence.Entity";
    /** Past these a class or method holds more than one job (issue 23). */
    private static final int MAX_CLASS_LINES = 400;
    private static final int MAX_METHOD_LINES = 60;

    /** Unit-tested with plain JUnit and usable from the command line without a container. */
    @ArchTest
    static final ArchRule mlCoreUsesNoFramework = noClasses()
            .that().resideInAnyPackage("dev.bristle.ml..", "dev.bristle.keys..", "dev.bristle.input..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "org.hibernate..",
                    "io.vertx..");

    /**
     * Of the rest of Bristle the ml core uses only the plain-Java leaves every layer shares: the {@code fromKey}
     * convention (keys) and the user's-mistake exception (input).
     */
    @ArchTest
    static final ArchRule mlCoreUsesOnlyTheSharedLeavesOfBristle = classes().that().resideInAPackage("dev.bristle.ml..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.bristle..")
                    .or(resideInAnyPackage("dev.bristle.ml..", "dev.bristle.keys..", "dev.bristle.input..")));

    /** And those leaves stay leaves, so nothing else of Bristle reaches the ml core through them. */
    @ArchTest
    static final ArchRule sharedLeavesUseNothingElseOfBristle = classes()
            .that().resideInAnyPackage("dev.bristle.keys..", "dev.bristle.input..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.bristle..")
                    .or(resideInAnyPackage("dev.bristle.keys..", "dev.bristle.input..")));

    /**
     * A page and its JSON twin never reach into each other (statics, templates, nested types): what both need lives
     * in a web helper or type of its own. Checked for every class, not only resources.
     */
    @ArchTest
    static final ArchRule noClassReachesIntoAnotherResource = classes().should(notUse(
            "another resource or its nested types",
            (origin, target) -> isResource(outermost(target)) && !outermost(target).equals(outermost(origin))));

    /**
     * javac copies a constant's value into the class that reads it, leaving no dependency in the bytecode for the rule
     * above to see; so a resource shares no statics at all (today none has a static field, hence allowed empty).
     */
    @ArchTest
    static final ArchRule resourcesShareNoStatics = fields().that().areDeclaredInClassesThat(partOfAResource())
            .and().areStatic().should().bePrivate().allowEmptyShould(true);

    /** Resources stay thin: each aggregate's entities are reached through its own package's service and views. */
    @ArchTest
    static final ArchRule resourcesReachNoEntityOfAnotherPackage = classes().that(partOfAResource()).should(notUse(
            "an @Entity of another package",
            (origin, target) -> target.isAnnotatedWith(ENTITY)
                    && !target.getPackageName().equals(origin.getPackageName())));

    /** The web package is the top floor: nothing below it knows it exists. */
    @ArchTest
    static final ArchRule onlyTheWebUsesTheWeb = noClasses().that().resideOutsideOfPackage("dev.bristle.web..")
            .should().dependOnClassesThat().resideInAPackage("dev.bristle.web..");

    /**
     * Inside the web, the plumbing every page shares (errors, CSRF, caching, parameters, templates' helpers) in
     * {@code web.common} knows none of the pages' packages (boards, pools, jobs, accounts).
     */
    @ArchTest
    static final ArchRule webPlumbingKnowsNoPage = noClasses().that().resideInAPackage("dev.bristle.web.common..")
            .should().dependOnClassesThat(resideInAPackage("dev.bristle.web..")
                    .and(resideOutsideOfPackage("dev.bristle.web.common..")));

    /** And the pages' packages of the web have no cycles between them (the jobs' pages build on the pools'). */
    @ArchTest
    static final ArchRule noCyclesBetweenWebPackages = slices().matching("dev.bristle.web.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCyclesBetweenTopLevelPackages = slices().matching("dev.bristle.(*)..")
            .should().beFreeOfCycles();

    /** A class is a room with one job: its file, imports and comments included, has at most 400 lines. */
    @ArchTest
    static final ArchRule classesHaveAtMost400Lines = classes().that().areTopLevelClasses().should(haveSources(
            "have at most " + MAX_CLASS_LINES + " lines in their file",
            source -> source.fileLines() <= MAX_CLASS_LINES ? List.of()
                    : List.of(source.file() + " has " + source.fileLines() + " lines")));

    /** So is a method: at most 60 lines from its first annotation or modifier to its closing brace. */
    @ArchTest
    static final ArchRule methodsHaveAtMost60Lines = classes().that().areTopLevelClasses().should(haveSources(
            "have no method over " + MAX_METHOD_LINES + " lines",
            source -> source.methods().stream().filter(m -> m.lines() > MAX_METHOD_LINES)
                    .map(m -> source.file() + ":" + m.line() + " " + m.name() + "() has " + m.lines() + " lines")
                    .toList()));

    /** A class says its one job first: its Javadoc has a first sentence. */
    @ArchTest
    static final ArchRule classesSayTheirJobFirst = classes().that().areTopLevelClasses().should(haveSources(
            "have a Javadoc whose first sentence says their job",
            source -> source.documented() ? List.of() : List.of(source.file() + " has no Javadoc on its class")));

    /** Fails a top-level class for each problem {@code problems} finds in its source, or when it has none. */
    private static ArchCondition<JavaClass> haveSources(String what,
                                                        Function<MainSources.TopLevel, List<String>> problems) {
        return new ArchCondition<>(what) {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                MainSources.TopLevel source = MainSources.classes().get(type.getName());
                if (source == null) {
                    events.add(SimpleConditionEvent.violated(type, type.getName() + " has no source in "
                            + MainSources.ROOT));
                    return;
                }
                for (String problem : problems.apply(source)) {
                    events.add(SimpleConditionEvent.violated(type, problem));
                }
            }
        };
    }

    private static boolean isResource(JavaClass type) {
        return type.getPackageName().startsWith("dev.bristle.web") && type.isAnnotatedWith(RESOURCE_PATH);
    }

    private static JavaClass outermost(JavaClass type) {
        JavaClass outer = type.getBaseComponentType();
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }

    private static DescribedPredicate<JavaClass> partOfAResource() {
        return DescribedPredicate.describe("are resources (@Path in dev.bristle.web..) or nested in one",
                type -> isResource(outermost(type)));
    }

    /** Fails each dependency of a class on a class that {@code forbidden} rejects for it, naming where it is. */
    private static ArchCondition<JavaClass> notUse(String what, BiPredicate<JavaClass, JavaClass> forbidden) {
        return new ArchCondition<>("not use " + what) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    if (forbidden.test(origin, target)) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }
}
