package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.Conversation;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.SearchHit;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.SearchQuery;
import dev.parley.tck.StoreFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite indexes new messages for search after their commit (schema V9). These tests hold the
 * indexer back (it only runs when a search needs it) to reach the states between an append and
 * its indexing, and check that search, edits, deletes, expiry and a reopen all stay right.
 */
class SearchIndexLagTest {
    @TempDir
    Path dir;

    private final StoreFixtures data = new StoreFixtures();
    private JdbcChatStore store;
    private Conversation group;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** A store whose writer indexes only when a search asks it to. */
    private JdbcChatStore heldBack() {
        return open(JdbcChatStore.builder().sqlite(file()).searchIndexing(Duration.ofHours(1), Long.MAX_VALUE));
    }

    private JdbcChatStore open(JdbcChatStore.Builder builder) {
        JdbcChatStore s = builder.build();
        if (group == null) {
            s.putUser(data.user("alice"));
            s.putUser(data.user("bob"));
            group = data.createGroup(s, "alice", "bob");
        }
        return s;
    }

    private Path file() {
        return dir.resolve("chat.db");
    }

    private Message send(String text, Instant expiresAt) {
        NewMessage m = new NewMessage(data.id("m"), group.id(), "alice", data.id("c"), new MessageBody(text), null,
                data.now(), expiresAt);
        data.tick();
        return store.append(m, r -> { }).join().message();
    }

    private Message send(String text) {
        return send(text, null);
    }

    private List<String> search(String text) {
        return store.search("bob", new SearchQuery(text, null, null, null, null, 50, 0)).stream()
                .map(SearchHit::message).map(Message::id).toList();
    }

    private long query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long watermark() throws SQLException {
        return query("SELECT indexed_upto FROM search_index");
    }

    private long newestRow() throws SQLException {
        return query("SELECT max(search_rowid) FROM messages");
    }

    /** FTS5 compares the index with its content table; throws when they disagree. */
    private void assertIndexMatchesTable() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
        }
    }

    @Test
    void aMessageNotIndexedYetIsFoundBySearch() throws SQLException {
        store = heldBack();
        Message m = send("quokka sighting");
        assertThat(watermark()).as("not indexed yet").isLessThan(newestRow());

        assertThat(search("quokka")).containsExactly(m.id());
        assertThat(watermark()).isEqualTo(newestRow());
        assertIndexMatchesTable();
    }

    @Test
    void anEditBeforeIndexingIndexesOnlyTheNewText() throws SQLException {
        store = heldBack();
        Message m = send("apple pie");
        assertThat(store.editMessage(m.id(), new MessageBody("banana bread"), data.now())).isTrue();

        assertThat(search("apple")).isEmpty();
        assertThat(search("banana")).containsExactly(m.id());
        assertIndexMatchesTable();
    }

    @Test
    void anEditAfterIndexingReplacesTheIndexedText() throws SQLException {
        store = heldBack();
        Message m = send("apple pie");
        assertThat(search("apple")).containsExactly(m.id());
        assertThat(store.editMessage(m.id(), new MessageBody("banana bread"), data.now())).isTrue();

        assertThat(search("apple")).isEmpty();
        assertThat(search("banana")).containsExactly(m.id());
        assertIndexMatchesTable();
    }

    @Test
    void deletedAndExpiredMessagesBeforeIndexingAreNeverFound() throws SQLException {
        store = heldBack();
        Message deleted = send("walrus one");
        send("walrus two", data.now().plusSeconds(5));
        Message kept = send("walrus three");
        assertThat(store.deleteMessage(deleted.id())).isTrue();
        assertThat(store.expire(group.id(), data.now().plusSeconds(5), 10)).hasSize(1);
        assertThat(watermark()).as("none indexed yet").isLessThan(newestRow() - 2);

        assertThat(search("walrus")).containsExactly(kept.id());
        assertThat(query("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'one OR two'")).isZero();
        assertIndexMatchesTable();
    }

    @Test
    void theIndexCatchesUpWhileAppendsKeepComing() throws SQLException {
        store = open(JdbcChatStore.builder().sqlite(file()).searchIndexing(Duration.ofHours(1), 10));
        for (int i = 0; i < 25; i++) {
            send("steady stream " + i);
        }

        // No search ran: the writer indexed on its own each time 10 rows were waiting.
        assertThat(watermark()).isGreaterThanOrEqualTo(20).isLessThanOrEqualTo(newestRow());
        assertThat(search("stream")).hasSize(25);
        assertIndexMatchesTable();
    }

    @Test
    void anUnindexedTailLeftByACrashIsIndexedOnReopen() throws SQLException {
        store = heldBack();
        Message a = send("lighthouse keeper");
        Message b = send("lighthouse lamp");
        store.close(); // as after a crash: committed, never indexed
        store = null;
        assertThat(watermark()).isLessThan(newestRow());

        store = open(JdbcChatStore.builder().sqlite(file()));
        await().atMost(Duration.ofSeconds(10)).until(() -> watermark() == newestRow());

        assertIndexMatchesTable();
        assertThat(search("lighthouse")).containsExactlyInAnyOrder(a.id(), b.id());
        Message c = send("lighthouse stairs");
        assertThat(c.seq()).isEqualTo(3);
        assertThat(search("stairs")).containsExactly(c.id());
    }

    @Test
    void aDatabaseIndexedByTheOldTriggersKeepsItsIndexWhenMigrated() throws SQLException {
        // Schema V8: the V4 triggers indexed every insert.
        Flyway.configure().dataSource("jdbc:sqlite:" + file(), null, null)
                .locations("classpath:db/migration/sqlite").target("8").load().migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO users (id, name, created_at) VALUES ('bob', 'Bob', 0)");
            st.execute("INSERT INTO conversations (id, kind, created_by, created_at, last_seq, last_activity,"
                    + " activity_seq) VALUES ('g', 'group', 'bob', 0, 2, 0, 1)");
            st.execute("INSERT INTO members (conversation_id, user_id, role, joined_at) VALUES ('g', 'bob', 'owner', 0)");
            st.execute("INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, body_text,"
                    + " created_at, search_rowid) VALUES ('g', 1, 'm1', 'bob', 'c1', 'old otter', 0, 1),"
                    + " ('g', 2, 'm2', 'bob', 'c2', 'old heron', 0, 2)");
        }

        store = JdbcChatStore.builder().sqlite(file()).searchIndexing(Duration.ofHours(1), Long.MAX_VALUE).build();

        assertThat(watermark()).isEqualTo(2);
        assertThat(store.search("bob", new SearchQuery("old", null, null, null, null, 20, 0)))
                .extracting(h -> h.message().id()).containsExactlyInAnyOrder("m1", "m2");
        assertThat(store.editMessage("m1", new MessageBody("new otter"), data.now())).isTrue();
        assertIndexMatchesTable();
        assertThat(store.search("bob", new SearchQuery("old", null, null, null, null, 20, 0)))
                .extracting(h -> h.message().id()).containsExactly("m2");
    }
}
