package dev.parley.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.parley.it.arch.Modules.LIBRARY;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/** Habits of STYLE.md that a machine can check on the compiled main code. */
@AnalyzeClasses(packages = "dev.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class CodingRulesTest {

    @ArchTest
    static final ArchRule noMutableStaticFields = fields()
            .that().areDeclaredInClassesThat().resideInAPackage("dev.parley..")
            .and().areStatic()
            .should().beFinal()
            .because("two ChatServers in one JVM share nothing: no static mutable state, no static registries"
                    + " (STYLE.md, habit 7)");

    @ArchTest
    static final ArchRule libraryWritesNoStandardStreams = noClasses()
            .that().resideInAnyPackage(LIBRARY)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("a library logs through SLF4J, where the host application decides what goes where;"
                    + " no System.out, System.err or printStackTrace (STYLE.md, habit 11)");

    @ArchTest
    static final ArchRule libraryLogsThroughSlf4j = noClasses()
            .that().resideInAnyPackage(LIBRARY)
            .should(GeneralCodingRules.USE_JAVA_UTIL_LOGGING)
            .because("logs go through SLF4J (DESIGN.md, Users)");

    @ArchTest
    static final ArchRule libraryThreadsAreNamed = noClasses()
            .that().resideInAnyPackage(LIBRARY)
            .should().callConstructor(Thread.class)
            .orShould().callConstructor(Thread.class, Runnable.class)
            .orShould(callAnExecutorsFactoryWithoutAThreadFactory())
            .because("every thread the library starts has a name that says whose it is (parley-io-1) and"
                    + " comes from a ThreadFactory (STYLE.md, habit 9)");

    @ArchTest
    static final ArchRule libraryRunsNothingOnTheCommonPool = noClasses()
            .that().resideInAnyPackage(LIBRARY)
            .should(callAnAsyncMethodWithoutAnExecutor())
            .because("the common ForkJoinPool belongs to the host application; the library runs work on its"
                    + " own named threads or on the executor it was given (STYLE.md, habit 9)");

    private static ArchCondition<JavaClass> callAnExecutorsFactoryWithoutAThreadFactory() {
        Set<String> factories = Set.of("newFixedThreadPool", "newCachedThreadPool", "newSingleThreadExecutor",
                "newScheduledThreadPool", "newSingleThreadScheduledExecutor");
        return callMethodWhere("call an Executors factory without a ThreadFactory", call ->
                call.getTargetOwner().isEquivalentTo(Executors.class)
                        && factories.contains(call.getName())
                        && !takes(call, ThreadFactory.class));
    }

    private static ArchCondition<JavaClass> callAnAsyncMethodWithoutAnExecutor() {
        return callMethodWhere("call a CompletableFuture ...Async method without an Executor", call ->
                (call.getTargetOwner().isAssignableTo(CompletionStage.class)
                        || call.getTargetOwner().isEquivalentTo(CompletableFuture.class))
                        && call.getName().endsWith("Async")
                        && !takes(call, Executor.class));
    }

    private static boolean takes(JavaMethodCall call, Class<?> type) {
        List<JavaClass> params = call.getTarget().getRawParameterTypes();
        return params.stream().anyMatch(p -> p.isAssignableTo(type));
    }

    private static ArchCondition<JavaClass> callMethodWhere(String description,
                                                            java.util.function.Predicate<JavaMethodCall> bad) {
        return new ArchCondition<>(description) {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaMethodCall call : item.getMethodCallsFromSelf()) {
                    if (bad.test(call)) {
                        events.add(SimpleConditionEvent.satisfied(call, call.getDescription()));
                    }
                }
            }
        };
    }
}
