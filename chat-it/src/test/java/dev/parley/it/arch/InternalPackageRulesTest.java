package dev.parley.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code .internal} packages are implementation (STYLE.md, habit 1): they may change in any
 * release, so no other module uses them, the SPIs never mention them, and the public API
 * never hands one out.
 */
@AnalyzeClasses(packages = "dev.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class InternalPackageRulesTest {

    @ArchTest
    static final ArchRule coreInternalsStayInCore = internalsStayIn("dev.parley.core");

    @ArchTest
    static final ArchRule storeInternalsStayInStore = internalsStayIn("dev.parley.store.jdbc");

    @ArchTest
    static final ArchRule accountsInternalsStayInAccounts = internalsStayIn("dev.parley.accounts");

    @ArchTest
    static final ArchRule serverInternalsStayInServer = internalsStayIn("dev.parley.server");

    @ArchTest
    static final ArchRule clientInternalsStayInClient = internalsStayIn("dev.parley.client");

    @ArchTest
    static final ArchRule web3InternalsStayInWeb3 = internalsStayIn("dev.parley.web3");

    @ArchTest
    static final ArchRule spisMentionNoInternalOrBuiltInImplementation = noClasses()
            .that().resideInAPackage("dev.parley.core.spi..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.parley.core.internal..", "dev.parley.core.local..")
            .because("a plugin author implements an SPI against published types only; an SPI that mentions an"
                    + " internal or built-in class ties every plugin to it (STYLE.md, habit 2)");

    @ArchTest
    static final ArchRule publicApiExposesNoInternalType = noMembers()
            .that(areVisibleOutsideTheirModule())
            .should(mentionInTheirSignature(resideInAnInternalPackage()))
            .because("a type a caller can receive or must pass is part of the API; an .internal type there"
                    + " would freeze it or break callers when it changes");

    @ArchTest
    static final ArchRule publicApiClassesExtendNoInternalClass = noClasses()
            .that().arePublic().and(doNotResideInAnInternalPackage())
            .should().beAssignableTo(DescribedPredicate.describe("a class in an .internal package",
                    (JavaClass c) -> resideInAnInternalPackage().test(c)))
            .because("a public class inherits the public methods of what it extends or implements: an"
                    + " .internal supertype would leak into the API");

    private static ArchRule internalsStayIn(String moduleRoot) {
        return noClasses()
                .that().resideOutsideOfPackage(moduleRoot + "..")
                .should().dependOnClassesThat().resideInAPackage(moduleRoot + ".internal..")
                .as("no class outside " + moduleRoot + " should use " + moduleRoot + ".internal..")
                .because(moduleRoot + ".internal.. is that module's implementation: another module (or an"
                        + " example) that uses it breaks when it changes, and sees rules it must not bypass");
    }

    private static DescribedPredicate<JavaClass> resideInAnInternalPackage() {
        return DescribedPredicate.describe("reside in an .internal package",
                c -> (c.getPackageName() + ".").contains(".internal."));
    }

    private static DescribedPredicate<JavaClass> doNotResideInAnInternalPackage() {
        return DescribedPredicate.not(resideInAnInternalPackage());
    }

    /** Public or protected members of classes that are public all the way out, outside .internal packages. */
    private static DescribedPredicate<JavaMember> areVisibleOutsideTheirModule() {
        return DescribedPredicate.describe("are public or protected members of public API classes", member -> {
            Set<JavaModifier> modifiers = member.getModifiers();
            if (!modifiers.contains(JavaModifier.PUBLIC) && !modifiers.contains(JavaModifier.PROTECTED)) {
                return false;
            }
            if (member.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                return false;
            }
            JavaClass owner = member.getOwner();
            if (resideInAnInternalPackage().test(owner) || !owner.getPackageName().startsWith("dev.parley.")) {
                return false;
            }
            for (Optional<JavaClass> c = Optional.of(owner); c.isPresent(); c = c.get().getEnclosingClass()) {
                if (!c.get().getModifiers().contains(JavaModifier.PUBLIC)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static ArchCondition<JavaMember> mentionInTheirSignature(DescribedPredicate<JavaClass> types) {
        return new ArchCondition<>("mention a type that " + types.getDescription() + " in their signature") {
            @Override
            public void check(JavaMember member, ConditionEvents events) {
                Set<JavaClass> involved = new LinkedHashSet<>();
                if (member instanceof JavaCodeUnit code) {
                    involved.addAll(code.getAllInvolvedRawTypes());
                    involved.addAll(code.getExceptionTypes());
                } else if (member instanceof JavaField field) {
                    involved.addAll(field.getType().getAllInvolvedRawTypes());
                }
                for (JavaClass type : involved) {
                    boolean hit = types.test(type);
                    events.add(new SimpleConditionEvent(member, hit,
                            member.getFullName() + " mentions " + type.getName() + " in its signature"));
                }
            }
        };
    }
}
