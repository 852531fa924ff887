/**
 * A {@link dev.parley.core.spi.ChatStore} and {@link dev.parley.core.spi.AccountStore} on JDBC
 * (Jdbi): an SQLite file in WAL mode by default, schema migrated by Flyway on open, writes
 * group-committed by one writer thread.
 *
 * <pre>{@code
 * try (JdbcChatStore store = JdbcChatStore.sqlite(Path.of("data/parley.db"));
 *      ChatEngine engine = ChatEngine.builder().store(store).build()) {
 *     ...
 * }
 * }</pre>
 */
package dev.parley.store.jdbc;
