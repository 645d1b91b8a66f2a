package dev.jtorr.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hexagon's boundaries, checked on every build over the production classes of every module. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // production classes of every module, whether Maven hands them over as folders or as reactor jars
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jtorr");
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void everyModuleIsImported() {
        for (String p : new String[] {"domain.bencode", "domain.metainfo", "domain.piece", "domain.peer", "domain.wire",
            "domain.picker", "domain.choke", "domain.swarm", "application.port.in",
            "application.port.out", "application.service", "application.engine", "application.torrent", "application.discovery", "application.extension", "application.daemon", "adapters.net", "adapters.net.http", "adapters.fs", "adapters.cli", "adapters.cli.wiring"}) {
            if (classes.stream().noneMatch(c -> c.getPackageName().equals("dev.jtorr." + p))) {
                throw new AssertionError("no classes imported from dev.jtorr." + p + ": the rules would check nothing");
            }
        }
    }

    @Test
    void layersFormAnOnion() {
        check(onionArchitecture()
                .domainModels("dev.jtorr.domain..")
                .applicationServices("dev.jtorr.application..")
                .adapter("net", "dev.jtorr.adapters.net..")
                .adapter("fs", "dev.jtorr.adapters.fs..")
                .adapter("cli", "dev.jtorr.adapters.cli..")
                .withOptionalLayers(true)
                .ignoreDependency(resideInAPackage("dev.jtorr.adapters.cli.wiring.."),
                        resideInAPackage("dev.jtorr.adapters.."))
                .because("only the CLI's wiring package, the composition root, sees every adapter"));
    }

    @Test
    void theDomainDependsOnTheJdkBasicsOnly() {
        check(classes().that().resideInAPackage("dev.jtorr.domain..")
                .should().onlyDependOnClassesThat(resideInAnyPackage("dev.jtorr.domain..", "java.lang",
                        "java.lang.invoke", "java.lang.runtime", "java.util", "java.util.function", "java.util.stream",
                        "java.util.random", "java.util.regex", "java.nio", "java.nio.charset", "java.security",
                        "java.time", "java.time.temporal", "java.math")
                        .or(belongToAnyOf(java.io.ByteArrayOutputStream.class, java.io.Serializable.class)))
                .because("the domain is pure: no I/O, no threads (java.util.concurrent), no frameworks"));
    }

    @Test
    void domainAndApplicationNeverReadTheClockOrSharedRandomness() {
        check(noClasses().that().resideInAnyPackage("dev.jtorr.domain..", "dev.jtorr.application..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.util.concurrent.ThreadLocalRandom.class, "current")
                .because("time and randomness come in as parameters, so swarms can run in simulated time"));
    }

    @Test
    void theCoreIsFrameworkFree() {
        check(noClasses().that().resideInAnyPackage("dev.jtorr.domain..", "dev.jtorr.application..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "jakarta.inject..",
                        "javax.inject..", "org.slf4j..", "ch.qos.logback..", "org.apache.commons.codec..",
                        "picocli.."));
    }

    @Test
    void portsAreNamedAndSeparated() {
        check(classes().that().resideInAPackage("dev.jtorr.application.port.in").and().areInterfaces()
                .and().areTopLevelClasses().and().haveSimpleNameNotEndingWith("Handle")
                .should().haveSimpleNameEndingWith("UseCase")
                .because("inbound ports are use cases; the one other kind is the handle a use case returns"));
        check(noClasses().that().resideInAPackage("dev.jtorr.application.port.in")
                .should().dependOnClassesThat().resideInAnyPackage("dev.jtorr.application.port.out",
                        "dev.jtorr.application.service"));
        check(noClasses().that().resideInAPackage("dev.jtorr.application.port.out")
                .should().dependOnClassesThat().resideInAnyPackage("dev.jtorr.application.port.in",
                        "dev.jtorr.application.service"));
        check(classes().that().resideInAPackage("dev.jtorr.application.port.out").and().areInterfaces()
                .and().areTopLevelClasses().should().haveSimpleNameNotEndingWith("Port"));
        check(noClasses().that().resideInAPackage("dev.jtorr.application..").and().areNotInterfaces()
                .and().areNotAnonymousClasses() // null objects such as ProgressListener.NONE
                .and().resideOutsideOfPackages("dev.jtorr.application.service", "dev.jtorr.application.engine",
                        "dev.jtorr.application.torrent", "dev.jtorr.application.discovery")
                .and().resideOutsideOfPackage("dev.jtorr.application.port.out") // records of a sealed event type
                .should().implement(resideInAPackage("dev.jtorr.application.port.out"))
                .because("port implementations live in adapters (the engine only implements the ports' callbacks)"));
    }

    @Test
    void adaptersUsePortsNotServices() {
        check(noClasses().that().resideInAPackage("dev.jtorr.adapters..")
                .and().resideOutsideOfPackage("dev.jtorr.adapters.cli.wiring")
                .should().dependOnClassesThat().resideInAnyPackage("dev.jtorr.application.service",
                        "dev.jtorr.application.daemon"));
    }

    @Test
    void guiceStaysInAdaptersAndTheCompositionRoot() {
        check(classes().that().areAssignableTo(com.google.inject.Module.class)
                .should().resideInAPackage("dev.jtorr.adapters..").andShould().haveSimpleNameEndingWith("Module"));
        check(noClasses().that().resideOutsideOfPackage("dev.jtorr.adapters.cli.wiring")
                .should().callMethod(com.google.inject.Guice.class, "createInjector", com.google.inject.Module[].class));
        check(fields().should().notBeAnnotatedWith(jakarta.inject.Inject.class)
                .andShould().notBeAnnotatedWith(com.google.inject.Inject.class)
                .because("injection is through constructors"));
    }

    @Test
    void noCyclesAndNoHungarianNames() {
        check(slices().matching("dev.jtorr.(**)").should().beFreeOfCycles());
        check(noClasses().should().haveSimpleNameEndingWith("Impl")
                .orShould().haveNameMatching(".*[.$]I[A-Z][a-z][^.$]*"));
        check(noClasses().that().resideOutsideOfPackage("dev.jtorr.adapters.cli..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err"));
    }
}
