package dev.parley.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps each reader connection's prepared statements for reuse. Preparing is most of the
 * CPU of a short SQLite read (the send path's read was 2/3 prepare, 1/3 execution), and
 * neither sqlite-jdbc nor HikariCP caches statements. Statements are prepared on the
 * physical connection, so the pool does not close them when a borrower returns it; a
 * connection is used by one borrower at a time, so its cache needs no lock of its own.
 */
public final class CachingStatementBuilder extends DefaultStatementBuilder {
    private static final int PER_CONNECTION = 64;

    private final Map<Connection, Map<String, PreparedStatement>> caches =
            Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
            return super.create(conn, sql, ctx);
        }
        Connection physical = conn.isWrapperFor(Connection.class) ? conn.unwrap(Connection.class) : conn;
        Map<String, PreparedStatement> cache = caches.computeIfAbsent(physical, c -> lru());
        PreparedStatement ps = cache.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = physical.prepareStatement(sql);
            cache.put(sql, ps);
        }
        return ps;
    }

    @Override
    public void close(Connection conn, String sql, Statement stmt) throws SQLException {
        Connection physical = conn.isWrapperFor(Connection.class) ? conn.unwrap(Connection.class) : conn;
        Map<String, PreparedStatement> cache = caches.get(physical);
        if (cache != null && cache.get(sql) == stmt) {
            ((PreparedStatement) stmt).clearParameters();
            return;
        }
        super.close(conn, sql, stmt);
    }

    private static Map<String, PreparedStatement> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= PER_CONNECTION) {
                    return false;
                }
                try {
                    eldest.getValue().close();
                } catch (SQLException e) {
                    // the statement is dropped either way
                }
                return true;
            }
        };
    }
}
