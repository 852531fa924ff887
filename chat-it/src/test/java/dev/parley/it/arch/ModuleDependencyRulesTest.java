package dev.parley.it.arch;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static dev.parley.it.arch.Modules.ACCOUNTS;
import static dev.parley.it.arch.Modules.BENCH;
import static dev.parley.it.arch.Modules.BROKER_NATS;
import static dev.parley.it.arch.Modules.CLIENT;
import static dev.parley.it.arch.Modules.CORE;
import static dev.parley.it.arch.Modules.DATABASE;
import static dev.parley.it.arch.Modules.EXAMPLES;
import static dev.parley.it.arch.Modules.JETTY_AND_JAKARTA;
import static dev.parley.it.arch.Modules.MEDIA;
import static dev.parley.it.arch.Modules.MICROMETER;
import static dev.parley.it.arch.Modules.SERVER;
import static dev.parley.it.arch.Modules.SPRING_BOOT;
import static dev.parley.it.arch.Modules.STORE_JDBC;
import static dev.parley.it.arch.Modules.TCK;
import static dev.parley.it.arch.Modules.TESTING;
import static dev.parley.it.arch.Modules.TYRUS;
import static dev.parley.it.arch.Modules.WEB3;
import static dev.parley.it.arch.Modules.concat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.parley.core.ChatEngine;

/**
 * Which module may know which, as DESIGN.md draws it: every arrow points inward to
 * {@code chat-core}, transports and stores are plug-ins around it, and the Java client speaks
 * only the protocol.
 */
@AnalyzeClasses(packages = "dev.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDependencyRulesTest {

    @ArchTest
    static final ArchRule moduleLayering = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("chat-core").definedBy(CORE)
            .layer("chat-store-jdbc").definedBy(STORE_JDBC)
            .layer("chat-accounts").definedBy(ACCOUNTS)
            .layer("chat-server-embedded").definedBy(SERVER)
            .layer("chat-client").definedBy(CLIENT)
            .layer("chat-broker-nats").definedBy(BROKER_NATS)
            .layer("chat-web3-ext").definedBy(WEB3)
            .layer("chat-media").definedBy(MEDIA)
            .layer("chat-tck").definedBy(TCK)
            .layer("chat-testing").definedBy(TESTING)
            .layer("chat-micrometer").definedBy(MICROMETER)
            .layer("chat-spring-boot").definedBy(SPRING_BOOT)
            .layer("examples").definedBy(EXAMPLES)
            .layer("chat-bench").definedBy(BENCH)
            .whereLayer("chat-core").mayNotAccessAnyLayer()
            .whereLayer("chat-store-jdbc").mayOnlyAccessLayers("chat-core")
            .whereLayer("chat-accounts").mayOnlyAccessLayers("chat-core")
            .whereLayer("chat-server-embedded").mayOnlyAccessLayers("chat-core", "chat-store-jdbc", "chat-accounts",
                    "chat-media")
            .whereLayer("chat-media").mayOnlyAccessLayers("chat-core")
            .whereLayer("chat-tck").mayOnlyAccessLayers("chat-core")
            .whereLayer("chat-tck").mayNotBeAccessedByAnyLayer()
            .whereLayer("chat-testing").mayOnlyAccessLayers("chat-core", "chat-server-embedded", "chat-client",
                    "chat-store-jdbc", "chat-accounts", "chat-media")
            .whereLayer("chat-testing").mayNotBeAccessedByAnyLayer()
            .whereLayer("chat-micrometer").mayOnlyAccessLayers("chat-core")
            .whereLayer("chat-spring-boot").mayNotBeAccessedByAnyLayer()
            .whereLayer("chat-client").mayOnlyAccessLayers("chat-core")
            .whereLayer("chat-broker-nats").mayOnlyAccessLayers("chat-core")
            // wallet sessions are account sessions; its HTTP routes are a core ApiExtension, so the
            // server never knows web3 and web3 never knows a transport
            .whereLayer("chat-web3-ext").mayOnlyAccessLayers("chat-core", "chat-accounts")
            .whereLayer("chat-web3-ext").mayOnlyBeAccessedByLayers("examples")
            .whereLayer("examples").mayNotBeAccessedByAnyLayer()
            .whereLayer("chat-bench").mayNotBeAccessedByAnyLayer()
            .because("module dependencies point inward to chat-core (DESIGN.md, Modules)");

    @ArchTest
    static final ArchRule coreKnowsNoTransportStoreOrClient = noClasses()
            .that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(concat(
                    new String[] {STORE_JDBC, SERVER, CLIENT, ACCOUNTS, TYRUS}, JETTY_AND_JAKARTA, DATABASE))
            .because("chat-core holds the model, the protocol, the SPIs and every chat rule; transports, stores"
                    + " and clients plug in from outside, so that each rule is testable without sockets or a database");

    @ArchTest
    static final ArchRule coreUsesOnlyTheJdkJacksonAndSlf4j = classes()
            .that().resideInAPackage(CORE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(CORE, "java..", "com.fasterxml.jackson..", "org.slf4j..")
            .because("chat-core may depend on Jackson and the SLF4J API only (DESIGN.md, Modules): every host"
                    + " application pays for what core pulls in");

    @ArchTest
    static final ArchRule clientKnowsNoServerStoreOrDatabase = noClasses()
            .that().resideInAPackage(CLIENT)
            .should().dependOnClassesThat().resideInAnyPackage(concat(
                    new String[] {SERVER, STORE_JDBC, ACCOUNTS, "org.eclipse.jetty.."}, DATABASE))
            .because("the Java client talks to any Parley server over the wire protocol; it must run in an"
                    + " application that has no server, store or database on its classpath");

    @ArchTest
    static final ArchRule clientUsesCoreOnlyForProtocolAndModel = noClasses()
            .that().resideInAPackage(CLIENT)
            .should().dependOnClassesThat(describe("are ChatEngine or part of core's SPI, local or internal packages",
                    (JavaClass c) -> c.isEquivalentTo(ChatEngine.class)
                            || resideInAnyPackage("dev.parley.core.spi..", "dev.parley.core.local..",
                                    "dev.parley.core.internal..").test(c)))
            .because("chat-client depends on core for the protocol and the model only (DESIGN.md); chat rules"
                    + " run on the server, never in the client");

    @ArchTest
    static final ArchRule storeKnowsNoTransportOrClient = noClasses()
            .that().resideInAPackage(STORE_JDBC)
            .should().dependOnClassesThat().resideInAnyPackage(concat(
                    new String[] {SERVER, CLIENT, ACCOUNTS, TYRUS}, JETTY_AND_JAKARTA))
            .because("chat-store-jdbc implements core's ChatStore and AccountStore SPIs and nothing else: a"
                    + " store must work under any transport");

    @ArchTest
    static final ArchRule accountsKnowNoTransportOrDatabase = noClasses()
            .that().resideInAPackage(ACCOUNTS)
            .should().dependOnClassesThat().resideInAnyPackage(concat(
                    new String[] {SERVER, CLIENT, STORE_JDBC, TYRUS}, JETTY_AND_JAKARTA, DATABASE))
            .because("chat-accounts keeps credentials through core's AccountStore SPI, so any store can hold"
                    + " them and any transport can expose them");

    @ArchTest
    static final ArchRule onlyTheMicrometerAndBootModulesUseMicrometer = noClasses()
            .that().resideOutsideOfPackages(MICROMETER, SPRING_BOOT)
            .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
            .because("metrics go through core's ChatMetrics SPI; Micrometer is an optional dependency that only"
                    + " chat-micrometer (and the Boot starter that wires it) may pull in");

    @ArchTest
    static final ArchRule onlyTheBootModuleUsesSpring = noClasses()
            .that().resideOutsideOfPackage(SPRING_BOOT)
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("Spring Boot stays optional: nothing but the starter's auto-configuration may depend on it");
}
