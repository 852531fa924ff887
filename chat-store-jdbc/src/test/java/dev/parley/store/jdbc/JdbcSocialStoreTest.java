package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Audience;
import dev.parley.core.PrivacySettings;
import dev.parley.core.RelationState;
import dev.parley.core.User;
import dev.parley.core.spi.ChatStore;
import dev.parley.tck.SocialStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcSocialStoreTest extends SocialStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(file());
    }

    private Path file() {
        return dir.resolve("chat.db");
    }

    private void reopen() {
        store.close();
        store = openStore();
    }

    @Test
    void everythingSurvivesReopen() {
        User alice = new User("alice", "Alice", T0, "https://example.com/a.png", "Bio of Alice.");
        store.putUser(alice);
        User bob = putUser("bob", "Bob");
        store.putRelation("alice", "bob", RelationState.FRIENDS);
        store.putRelation("bob", "alice", RelationState.FRIENDS);
        store.putRelation("carol", "alice", RelationState.BLOCKED);
        PrivacySettings strict = new PrivacySettings(Audience.FRIENDS, Audience.NOBODY, Audience.FRIENDS, false);
        store.putPrivacy("alice", strict);

        reopen();

        assertThat(store.findUser("alice")).contains(alice);
        assertThat(store.searchUsers("ALI", 10)).containsExactly(alice);
        assertThat(store.searchUsers("b", 10)).containsExactly(bob);
        assertThat(store.relationsFrom("alice", RelationState.FRIENDS)).containsExactly("bob");
        assertThat(store.relationsTo("alice", RelationState.FRIENDS)).containsExactly("bob");
        assertThat(store.relationsTo("alice", RelationState.BLOCKED)).containsExactly("carol");
        assertThat(store.privacy("alice")).isEqualTo(strict);
        assertThat(store.privacy("bob")).isEqualTo(PrivacySettings.defaults());
    }

    @Test
    void relationIsStampedWithTheStoresClock() throws SQLException {
        store.close();
        Instant now = Instant.parse("2025-06-01T12:00:00.123Z");
        store = JdbcChatStore.builder().sqlite(file()).clock(Clock.fixed(now, ZoneOffset.UTC)).build();

        store.putRelation("alice", "bob", RelationState.REQUESTED);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT updated_at FROM relations WHERE user_id = 'alice' AND other_id = 'bob'");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(now.toEpochMilli());
        }
    }

    @Test
    void databaseOfSchemaV1IsUpgradedAndItsUsersAreSearchable() throws SQLException {
        store.close();
        Path old = dir.resolve("v1.db");
        Flyway.configure(getClass().getClassLoader())
                .dataSource("jdbc:sqlite:" + old, null, null)
                .locations("classpath:db/migration/sqlite")
                .target("1")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
             Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO users (id, name, created_at) VALUES ('old', 'Old Timer', "
                    + T0.toEpochMilli() + ")");
        }

        store = JdbcChatStore.sqlite(old);

        User oldTimer = new User("old", "Old Timer", T0);
        assertThat(store.findUser("old")).contains(oldTimer);
        assertThat(store.searchUsers("old t", 10)).containsExactly(oldTimer);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success = 1"
                     + " AND version IS NOT NULL ORDER BY installed_rank")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("2");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("3");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("4");
            // and the later migrations, each once
            while (rs.next()) {
                assertThat(Integer.parseInt(rs.getString(1))).isGreaterThan(4);
            }
        }
    }
}
