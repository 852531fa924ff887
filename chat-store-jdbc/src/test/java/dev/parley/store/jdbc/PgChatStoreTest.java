package dev.parley.store.jdbc;

import static dev.parley.tck.StoreFixtures.assertCode;
import static dev.parley.tck.StoreFixtures.failureCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Conversation;
import dev.parley.core.CursorKind;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.User;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.NewMessage;
import dev.parley.tck.ChatStoreContract;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link ChatStoreContract} on PostgreSQL, and what differs from SQLite. */
class PgChatStoreTest extends ChatStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }

    private void reopen() {
        store.close();
        store = openStore();
    }

    @Test
    void aNulInTheTextIsABadRequestThatSpoilsNothingElse() {
        Conversation group = data.createGroup(store, "alice");
        Message before = data.send(store, group.id(), "alice").message();

        CompletableFuture<AppendResult> nul = store.append(new NewMessage("m-nul", group.id(), "alice", "c-nul",
                new MessageBody("a\u0000b"), null, data.now()), r -> { });

        assertThat(failureCode(nul)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(data.send(store, group.id(), "alice").message().seq()).isEqualTo(before.seq() + 1);
        assertCode(ErrorCode.BAD_REQUEST, () -> store.editMessage(before.id(), new MessageBody("x\u0000"), data.now()));
        assertThat(store.findMessage(before.id(), null).orElseThrow().body()).isEqualTo(before.body());
    }

    @Test
    void aNulInOtherTextOrInALookupKeyIsABadRequestNotAnOutage() {
        assertCode(ErrorCode.BAD_REQUEST, () -> store.putUser(new User("erin", "Er\u0000in", data.now())));
        assertCode(ErrorCode.BAD_REQUEST, () -> store.findUser("nul\u0000id"));
        assertThat(store.findUser("alice")).isPresent();
        assertThat(store.findUser("erin")).isEmpty();
    }

    @Test
    void commitCallbackRunsOnTheWriterThread() {
        Conversation group = data.createGroup(store, "alice");
        List<String> seen = new CopyOnWriteArrayList<>();

        store.append(data.message(group.id(), "alice", "c-1"),
                r -> seen.add(Thread.currentThread().getName() + ":" + r.message().seq())).join();

        assertThat(seen).containsExactly("parley-store-writer:1");
    }

    @Test
    void timesAreKeptToTheMillisecond() {
        Conversation group = data.createGroup(store, "alice");
        Instant precise = data.now().plusNanos(123_456);

        Message stored = store.append(new NewMessage("m-1", group.id(), "alice", "c-1", new MessageBody("hi"), null,
                precise), r -> { }).join().message();

        assertThat(stored.createdAt()).isEqualTo(data.now());
        assertThat(store.history(group.id(), null, null, 10).messages()).containsExactly(stored);
    }

    @Test
    void reopenKeepsEverythingAndSeqAndActivityContinue() {
        Conversation group = data.createGroup(store, "alice", "bob");
        Conversation direct = data.direct("alice", "bob");
        store.createConversation(direct, data.members(direct, "alice", "bob"));
        data.send(store, group.id(), "alice");
        data.send(store, group.id(), "bob");
        data.send(store, direct.id(), "bob");
        store.advanceCursor(group.id(), "bob", CursorKind.READ, 2);
        List<Message> history = store.history(group.id(), null, null, 10).messages();
        var list = store.conversationsOf("alice", 10, null).conversations();

        reopen();

        assertThat(store.history(group.id(), null, null, 10).messages()).containsExactlyElementsOf(history);
        assertThat(store.conversationsOf("alice", 10, null).conversations()).containsExactlyElementsOf(list);
        assertThat(store.findMember(group.id(), "bob").orElseThrow().readSeq()).isEqualTo(2);
        assertThat(data.send(store, group.id(), "bob").message().seq()).isEqualTo(3);
        assertThat(store.conversationsOf("alice", 10, null).conversations().get(0).conversation().id())
                .as("activity order continues after reopen").isEqualTo(group.id());
    }

    @Test
    void theWriterReconnectsWhenItsConnectionIsCutBetweenWrites() throws Exception {
        Conversation group = data.createGroup(store, "alice");
        data.send(store, group.id(), "alice");

        assertThat(pg.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = ?", "parley-writer " + pg.schema())).as("writer connections cut").isEqualTo(1);

        assertThat(data.send(store, group.id(), "alice").message().seq()).isEqualTo(2);
        assertThat(store.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(2);
    }

    @Test
    void schemaIsCreatedAndMigratedOnce() throws Exception {
        store.close();
        store = openStore();

        assertThat(pg.queryLong("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", pg.schema()))
                .isEqualTo(1);
        assertThat(pg.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success")).isEqualTo(1);
        assertThat(pg.queryLong("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                .as("the same migrations as SQLite, V1 to V6 at least").isGreaterThanOrEqualTo(6);
    }
}
