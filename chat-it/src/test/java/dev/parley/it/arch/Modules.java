package dev.parley.it.arch;

import java.util.Arrays;

/**
 * The package root of each main module. The rules name modules by package because that is
 * what a class carries at run time; {@code chat-client-js} has no classes.
 */
final class Modules {
    static final String CORE = "dev.parley.core..";
    static final String STORE_JDBC = "dev.parley.store.jdbc..";
    static final String ACCOUNTS = "dev.parley.accounts..";
    static final String SERVER = "dev.parley.server..";
    static final String CLIENT = "dev.parley.client..";
    static final String EXAMPLES = "dev.parley.examples..";
    static final String BENCH = "dev.parley.bench..";
    static final String BROKER_NATS = "dev.parley.broker.nats..";
    static final String WEB3 = "dev.parley.web3..";
    static final String MEDIA = "dev.parley.media..";
    static final String TCK = "dev.parley.tck..";
    static final String TESTING = "dev.parley.testing..";
    static final String MICROMETER = "dev.parley.micrometer..";
    static final String SPRING_BOOT = "dev.parley.spring..";

    /** The library modules a host application ships; examples and benchmarks are not among them. */
    static final String[] LIBRARY = {CORE, STORE_JDBC, ACCOUNTS, SERVER, CLIENT, BROKER_NATS, WEB3, MEDIA, TESTING,
        MICROMETER, SPRING_BOOT};

    static final String[] JETTY_AND_JAKARTA = {"org.eclipse.jetty..", "jakarta.websocket..", "jakarta.servlet.."};
    static final String TYRUS = "org.glassfish.tyrus..";
    static final String[] DATABASE = {"org.jdbi..", "java.sql..", "javax.sql..", "org.sqlite..", "org.postgresql..",
        "com.zaxxer.hikari..", "org.flywaydb.."};

    private Modules() {
    }

    /** The package patterns of all groups, in one array for {@code resideInAnyPackage}. */
    static String[] concat(String[]... groups) {
        return Arrays.stream(groups).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
