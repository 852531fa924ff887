package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Message;
import dev.parley.core.spi.ChatStore;
import dev.parley.tck.SearchExpiryContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcSearchExpiryTest extends SearchExpiryContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(dir.resolve("chat.db"));
    }

    private long count(String sql, String arg) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chat.db"));
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void expiryErasesTheTextFromTheTableAndTheIndex() throws SQLException {
        Message m = send(group, "alice", "zebra crossing", data.now().plusSeconds(5));

        store.expire(group.id(), data.now().plusSeconds(5), 10);

        assertThat(count("SELECT count(*) FROM messages WHERE id = ? AND body_text = '' AND expired = 1", m.id()))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?", "zebra")).isZero();
        // The index agrees with its content table, once the writer has indexed what it had not
        // yet (a search makes it catch up).
        store.search("bob", new dev.parley.core.spi.SearchQuery("zebra", null, null, null, null, 5, 0));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chat.db"))) {
            c.createStatement().execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
        }
    }

    @Test
    void caseAndDiacriticsAreFoldedBothWays() {
        Message cafe = send(group, "alice", "Rendez-vous au Café Noël");

        assertThat(store.search("bob", new dev.parley.core.spi.SearchQuery("cafe noel", null, null, null, null, 5, 0)))
                .extracting(h -> h.message().id()).containsExactly(cafe.id());
        assertThat(store.search("bob", new dev.parley.core.spi.SearchQuery("CAFÉ", null, null, null, null, 5, 0)))
                .singleElement().satisfies(h -> assertThat(h.snippet()).isEqualTo("Rendez-vous au «Café» Noël"));
    }

    @Test
    void theIndexAndTimersSurviveReopen() {
        Message m = send(group, "alice", "persistent words");
        store.setExpiry(group.id(), 3600);
        store.close();
        store = openStore();

        assertThat(store.search("bob", new dev.parley.core.spi.SearchQuery("persistent", null, null, null, null, 5, 0)))
                .extracting(h -> h.message().id()).containsExactly(m.id());
        assertThat(store.expiry(group.id())).isEqualTo(3600);
    }
}
