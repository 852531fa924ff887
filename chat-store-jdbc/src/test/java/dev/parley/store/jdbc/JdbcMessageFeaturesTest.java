package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.MessageEdit;
import dev.parley.core.ReactionSummary;
import dev.parley.core.spi.ChatStore;
import dev.parley.tck.MessageFeaturesContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcMessageFeaturesTest extends MessageFeaturesContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(dir.resolve("chat.db"));
    }

    private long count(String sql, String messageId) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chat.db"));
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void deleteErasesTheTextItsEditsAndReactionsFromTheDatabase() throws SQLException {
        Message m = send("alice");
        store.editMessage(m.id(), new MessageBody("second thoughts"), T1);
        store.addReaction(m.id(), "bob", "👍", T1, 20, 50);
        store.pin(m.id(), "bob", T1, 50);

        store.deleteMessage(m.id());

        assertThat(count("SELECT count(*) FROM messages WHERE id = ? AND body_text = ''", m.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM message_edits WHERE message_id = ?", m.id())).isZero();
        assertThat(count("SELECT count(*) FROM reactions WHERE message_id = ?", m.id())).isZero();
        assertThat(count("SELECT count(*) FROM pins WHERE message_id = ?", m.id())).isZero();
    }

    @Test
    void editsReactionsHidesAndPinsSurviveReopen() {
        Message m = send("alice");
        store.editMessage(m.id(), new MessageBody("edited"), T1);
        store.addReaction(m.id(), "bob", "👍", T1, 20, 50);
        store.hideMessage("carol", m.id(), T1);
        store.pin(m.id(), "alice", T2, 50);

        store.close();
        store = openStore();

        Message reread = store.findMessage(m.id(), "carol").orElseThrow();
        assertThat(reread.body().text()).isEqualTo("edited");
        assertThat(reread.editedAt()).isEqualTo(T1);
        assertThat(reread.hidden()).isTrue();
        assertThat(reread.reactions()).containsExactly(new ReactionSummary("👍", 1, List.of("bob"), false));
        assertThat(store.edits(m.id())).containsExactly(new MessageEdit(m.body(), T1));
        assertThat(store.pinned(group.id(), null)).extracting(Message::id).containsExactly(m.id());
    }
}
