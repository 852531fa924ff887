/**
 * A {@link dev.parley.core.spi.ChatStore} and {@link dev.parley.core.spi.AccountStore} on JDBC
 * (Jdbi): an SQLite file in WAL mode by default, or a PostgreSQL database that several nodes
 * share; schema migrated by Flyway on open, writes group-committed by one writer thread.
 *
 * <pre>{@code
 * try (JdbcChatStore store = JdbcChatStore.sqlite(Path.of("data/parley.db"));
 *      ChatEngine engine = ChatEngine.builder().store(store).build()) {
 *     ...
 * }
 * JdbcChatStore shared = JdbcChatStore.builder().postgres("jdbc:postgresql://db:5432/chat").schema("parley").build();
 * }</pre>
 */
package dev.parley.store.jdbc;
