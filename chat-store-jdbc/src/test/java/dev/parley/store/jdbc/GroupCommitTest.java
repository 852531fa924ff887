package dev.parley.store.jdbc;

import static dev.parley.tck.StoreFixtures.failureCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.NewMessage;
import dev.parley.tck.StoreFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;

    private final StoreFixtures data = new StoreFixtures();
    private Path file;
    private JdbcChatStore store;
    private Conversation group;

    @BeforeEach
    void open() {
        file = dir.resolve("chat.db");
        store = JdbcChatStore.sqlite(file);
        group = data.createGroup(store, "alice", "bob");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void concurrentAppendsGetGapFreeSeqsAndCompleteOnlyOnceCommitted() throws Exception {
        int threads = 32;
        int perThread = 50;
        ConcurrentLinkedQueue<String> notVisibleAtCompletion = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<CompletableFuture<Void>> checked = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Connection observer = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (int t = 0; t < threads; t++) {
                String sender = t % 2 == 0 ? "alice" : "bob";
                String prefix = "t" + t + "-";
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        CompletableFuture<AppendResult> f =
                                store.append(data.message(group.id(), sender, prefix + i), r -> { });
                        // Runs when the future completes: the row must already be visible to
                        // another connection, i.e. committed.
                        checked.add(f.thenAccept(r -> {
                            if (!visible(observer, r.message())) {
                                notVisibleAtCompletion.add(r.message().clientMsgId());
                            }
                        }));
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            CompletableFuture.allOf(checked.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }

        int n = threads * perThread;
        List<Message> all = new ArrayList<>();
        Long after = 0L;
        boolean more = true;
        while (more) {
            var page = store.history(group.id(), null, after, 100);
            all.addAll(page.messages());
            after = all.get(all.size() - 1).seq();
            more = page.hasMore();
        }
        assertThat(checked).hasSize(n);
        assertThat(notVisibleAtCompletion).isEmpty();
        assertThat(all).extracting(Message::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
        assertThat(store.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(n);
    }

    @Test
    void duplicatesInOneBatchReturnTheFirst() {
        List<CompletableFuture<AppendResult>> results = new ArrayList<>();
        try (WriterGate gate = new WriterGate(store, data.message(group.id(), "bob", "gate"))) {
            results.add(store.append(data.message(group.id(), "alice", "c-1"), r -> { }));
            results.add(store.append(data.message(group.id(), "alice", "c-1"), r -> { }));
            results.add(store.append(data.message(group.id(), "bob", "c-1"), r -> { }));
            results.add(store.append(data.message(group.id(), "alice", "c-1"), r -> { }));
            gate.open();
        }

        Message first = results.get(0).join().message();
        assertThat(results.get(0).join().duplicate()).isFalse();
        assertThat(results.get(1).join()).isEqualTo(new AppendResult(first, true));
        assertThat(results.get(2).join().duplicate()).isFalse();
        assertThat(results.get(2).join().message().seq()).isEqualTo(3);
        assertThat(results.get(3).join()).isEqualTo(new AppendResult(first, true));
        assertThat(store.history(group.id(), null, null, 10).messages()).extracting(Message::clientMsgId)
                .containsExactly("gate", "c-1", "c-1");
    }

    @Test
    void aTimerSetInABatchAppliesToTheAppendsAfterItInTheSameBatch() throws Exception {
        CompletableFuture<AppendResult> before;
        CompletableFuture<AppendResult> after;
        Thread setter = new Thread(() -> store.setExpiry(group.id(), 60), "timer-setter");
        try (WriterGate gate = new WriterGate(store, data.message(group.id(), "bob", "gate"))) {
            before = store.append(data.message(group.id(), "alice", "before"), r -> { });
            setter.start();
            // setExpiry has queued its write once its thread waits for the commit.
            await().atMost(Duration.ofSeconds(10)).until(() -> setter.getState() == Thread.State.WAITING
                    || setter.getState() == Thread.State.TIMED_WAITING);
            after = store.append(data.message(group.id(), "alice", "after"), r -> { });
            gate.open();
        }
        setter.join(10_000);
        Message first = before.get(10, TimeUnit.SECONDS).message();
        Message second = after.get(10, TimeUnit.SECONDS).message();

        assertThat(store.expire(group.id(), data.now().plusSeconds(61), 100))
                .extracting(e -> e.messageId())
                .containsExactly(second.id())
                .doesNotContain(first.id());
    }

    @Test
    void aContinuationThatAppendsAndWaitsIsNotBlockedByItsOwnThread() throws Exception {
        CompletableFuture<AppendResult> chained;
        try (WriterGate gate = new WriterGate(store, data.message(group.id(), "bob", "gate"))) {
            // Attached before the first append completes, so it runs on the thread that completes it.
            chained = store.append(data.message(group.id(), "alice", "first"), r -> { })
                    .thenApply(r -> store.append(data.message(group.id(), "alice", "second"), x -> { }).join());
            gate.open();
        }

        assertThat(chained.get(10, TimeUnit.SECONDS).message().seq()).isEqualTo(3);
    }

    @Test
    void closingFromAContinuationCompletesWhatWasCommitted() throws Exception {
        CompletableFuture<Void> closed;
        CompletableFuture<AppendResult> sameBatch;
        try (WriterGate gate = new WriterGate(store, data.message(group.id(), "bob", "gate"))) {
            closed = store.append(data.message(group.id(), "alice", "first"), r -> { })
                    .thenRun(store::close);
            sameBatch = store.append(data.message(group.id(), "alice", "second"), r -> { });
            gate.open();
        }

        closed.get(10, TimeUnit.SECONDS);
        assertThat(sameBatch.get(10, TimeUnit.SECONDS).message().seq()).isEqualTo(3);
        assertThat(failureCode(store.append(data.message(group.id(), "alice", "late"), r -> { })))
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void appendToAnUnknownConversationFailsAloneInItsBatch() {
        CompletableFuture<AppendResult> before;
        CompletableFuture<AppendResult> unknown;
        CompletableFuture<AppendResult> after;
        try (WriterGate gate = new WriterGate(store, data.message(group.id(), "bob", "gate"))) {
            before = store.append(data.message(group.id(), "alice", "c-1"), r -> { });
            unknown = store.append(data.message("nope", "alice", "c-2"), r -> { });
            after = store.append(data.message(group.id(), "alice", "c-3"), r -> { });
            gate.open();
        }

        assertThat(failureCode(unknown)).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(before.join().message().seq()).isEqualTo(2);
        assertThat(after.join().message().seq()).isEqualTo(3);
    }

    @Test
    void aWriteThatBreaksAConstraintFailsAloneAndTheRestOfTheBatchCommits() {
        CompletableFuture<AppendResult> ok1;
        CompletableFuture<AppendResult> reusedId;
        CompletableFuture<AppendResult> ok2;
        Conversation other = data.createGroup(store, "carol");
        try (WriterGate gate = new WriterGate(store, data.message(group.id(), "bob", "gate"))) {
            ok1 = store.append(new NewMessage("same-id", group.id(), "alice", "c-1", new MessageBody("a"), null,
                    data.now()), r -> { });
            reusedId = store.append(new NewMessage("same-id", other.id(), "carol", "c-2", new MessageBody("b"), null,
                    data.now()), r -> { });
            ok2 = store.append(data.message(other.id(), "carol", "c-3"), r -> { });
            gate.open();
        }

        assertThat(failureCode(reusedId)).isEqualTo(ErrorCode.CONFLICT);
        assertThat(ok1.join().message().seq()).isEqualTo(2);
        assertThat(ok2.join().message().seq()).as("the failed append took no seq").isEqualTo(1);
        assertThat(store.findConversation(other.id()).orElseThrow().lastSeq()).isEqualTo(1);
        assertThat(data.send(store, other.id(), "carol").message().seq()).isEqualTo(2);
    }

    @Test
    void closeCommitsWhatWasQueuedBeforeIt() throws Exception {
        List<CompletableFuture<AppendResult>> queued = new ArrayList<>();
        CompletableFuture<Void> closing;
        try (WriterGate gate = new WriterGate(store, data.message(group.id(), "bob", "gate"))) {
            for (int i = 0; i < 20; i++) {
                queued.add(store.append(data.message(group.id(), "alice", "c-" + i), r -> { }));
            }
            closing = CompletableFuture.runAsync(store::close);
            await().atMost(Duration.ofSeconds(10)).until(this::storeRefusesReads);
            assertThat(closing).as("close waits for the queued writes").isNotDone();
            gate.open();
        }
        closing.get(10, TimeUnit.SECONDS);

        assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
        try (JdbcChatStore reopened = JdbcChatStore.sqlite(file)) {
            assertThat(reopened.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(21);
        }
    }

    @Test
    void appendAfterCloseIsUnavailable() {
        store.close();

        assertThat(failureCode(store.append(data.message(group.id(), "alice", "c-1"), r -> { })))
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void smallMaxBatchStillCommitsEverything() {
        store.close();
        store = JdbcChatStore.builder().sqlite(file).maxBatch(3).synchronous(Synchronous.NORMAL).build();
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        try (WriterGate gate = new WriterGate(store, data.message(group.id(), "bob", "gate"))) {
            for (int i = 0; i < 10; i++) {
                futures.add(store.append(data.message(group.id(), "alice", "c-" + i), r -> { }));
            }
            gate.open();
        }

        Set<Long> seqs = new TreeSet<>();
        futures.forEach(f -> seqs.add(f.join().message().seq()));
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(2, 11).boxed().toList());
    }

    private boolean storeRefusesReads() {
        try {
            store.findUser("alice");
            return false;
        } catch (ChatException e) {
            return e.code() == ErrorCode.UNAVAILABLE;
        }
    }

    private static boolean visible(Connection observer, Message m) {
        synchronized (observer) {
            try (PreparedStatement ps = observer.prepareStatement(
                    "SELECT count(*) FROM messages WHERE conversation_id = ? AND seq = ? AND id = ?")) {
                ps.setString(1, m.conversationId());
                ps.setLong(2, m.seq());
                ps.setString(3, m.id());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 1;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
