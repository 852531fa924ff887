package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.ExpiredMessage;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.ReactionResult;
import dev.parley.tck.StoreFixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two stores on one PostgreSQL schema, as two nodes of a cluster: whatever they do at the same
 * time, seqs stay unique and gap-free, conversation lists page exactly, a direct pair exists
 * once, limits hold and each expired message is announced by one node.
 */
class PgClusterTest {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    private final StoreFixtures data = new StoreFixtures();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private JdbcChatStore nodeA;
    private JdbcChatStore nodeB;

    @BeforeEach
    void open() {
        nodeA = pg.builder().build();
        nodeB = pg.builder().build();
        for (String u : List.of("alice", "bob", "carol")) {
            nodeA.putUser(data.user(u));
        }
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        nodeA.close();
        nodeB.close();
    }

    /** Runs the tasks at the same moment and returns their results in task order. */
    private <T> List<T> together(List<Callable<T>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void twoNodesAppendingToOneConversationGetUniqueGapFreeSeqs() throws Exception {
        Conversation group = data.createGroup(nodeA, "alice", "bob");
        int threadsPerNode = 4;
        int perThread = 60;
        List<Long> callbacksA = new CopyOnWriteArrayList<>();
        List<Long> callbacksB = new CopyOnWriteArrayList<>();
        List<Callable<List<AppendResult>>> tasks = new ArrayList<>();
        for (int t = 0; t < 2 * threadsPerNode; t++) {
            JdbcChatStore node = t % 2 == 0 ? nodeA : nodeB;
            List<Long> callbacks = t % 2 == 0 ? callbacksA : callbacksB;
            String sender = t % 4 < 2 ? "alice" : "bob";
            String prefix = "t" + t + "-";
            tasks.add(() -> {
                List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(node.append(data.message(group.id(), sender, prefix + i),
                            r -> callbacks.add(r.message().seq())));
                }
                List<AppendResult> done = new ArrayList<>();
                for (CompletableFuture<AppendResult> f : mine) {
                    done.add(f.get(60, TimeUnit.SECONDS));
                }
                return done;
            });
        }

        List<Long> seqs = new ArrayList<>();
        Set<String> clientMsgIds = new HashSet<>();
        for (List<AppendResult> results : together(tasks)) {
            for (AppendResult r : results) {
                assertThat(r.duplicate()).isFalse();
                seqs.add(r.message().seq());
                clientMsgIds.add(r.message().clientMsgId());
            }
        }

        int total = 2 * threadsPerNode * perThread;
        Long[] expected = LongStream.rangeClosed(1, total).boxed().toArray(Long[]::new);
        assertThat(seqs).containsExactlyInAnyOrder(expected);
        assertThat(clientMsgIds).hasSize(total);
        assertThat(callbacksA).as("node A's callbacks in seq order").isSorted().hasSize(total / 2);
        assertThat(callbacksB).as("node B's callbacks in seq order").isSorted().hasSize(total / 2);
        assertThat(nodeB.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(total);
        assertThat(nodeA.history(group.id(), null, 0L, total + 1).messages()).extracting(Message::seq)
                .containsExactly(expected);
    }

    @Test
    void aRetryThroughTheOtherNodeIsADuplicate() {
        Conversation group = data.createGroup(nodeA, "alice");
        NewMessage draft = data.message(group.id(), "alice", "c-1");
        AppendResult first = nodeA.append(draft, r -> { }).join();

        AppendResult retry = nodeB.append(new NewMessage(data.id("m"), group.id(), "alice", "c-1",
                new MessageBody("sent again"), null, data.now()), r -> { }).join();

        assertThat(retry).isEqualTo(new AppendResult(first.message(), true));
    }

    @Test
    void conversationsCreatedAndUpdatedOnTwoNodesPageExactlyOnce() throws Exception {
        int perNode = 25;
        List<Callable<List<String>>> tasks = new ArrayList<>();
        for (JdbcChatStore node : List.of(nodeA, nodeB)) {
            tasks.add(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < perNode; i++) {
                    Conversation c = data.createGroup(node, "alice", "bob");
                    data.send(node, c.id(), "bob");
                    ids.add(c.id());
                }
                return ids;
            });
        }
        Set<String> created = new HashSet<>();
        together(tasks).forEach(created::addAll);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            ConversationPage page = nodeB.conversationsOf("alice", 7, cursor);
            page.conversations().forEach(s -> listed.add(s.conversation().id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(listed).as("every conversation exactly once").containsExactlyInAnyOrderElementsOf(created);
        assertThat(pg.queryLong("SELECT count(DISTINCT activity_seq) FROM conversations")).isEqualTo(2L * perNode);
    }

    @Test
    void theSameDirectPairCreatedOnTwoNodesAtOnceExistsOnce() throws Exception {
        for (int i = 0; i < 10; i++) {
            String other = "user-" + i;
            nodeA.putUser(data.user(other));
            Conversation onA = data.direct("alice", other);
            Conversation onB = data.direct(other, "alice");

            List<Conversation> stored = together(List.of(
                    () -> nodeA.createConversation(onA, data.members(onA, "alice", other)),
                    () -> nodeB.createConversation(onB, data.members(onB, other, "alice"))));

            assertThat(stored.get(0).id()).isEqualTo(stored.get(1).id());
            assertThat(nodeA.members(stored.get(0).id())).hasSize(2);
        }
        assertThat(pg.queryLong("SELECT count(*) FROM conversations")).isEqualTo(10);
    }

    @Test
    void theReactionLimitHoldsAcrossNodes() throws Exception {
        Conversation group = data.createGroup(nodeA, "alice", "bob", "carol");
        Message m = data.send(nodeA, group.id(), "alice").message();
        String[] emoji = {"👍", "❤️", "😂", "🎉", "😮", "😢", "🔥", "👀"};
        List<Callable<ReactionResult>> tasks = new ArrayList<>();
        for (int i = 0; i < emoji.length; i++) {
            JdbcChatStore node = i % 2 == 0 ? nodeA : nodeB;
            String e = emoji[i];
            tasks.add(() -> node.addReaction(m.id(), "bob", e, data.now(), 20, 5));
        }

        List<ReactionResult> results = together(tasks);

        assertThat(results).filteredOn(r -> r == ReactionResult.ADDED).hasSize(5);
        assertThat(results).filteredOn(r -> r == ReactionResult.TOO_MANY_EMOJI).hasSize(3);
        assertThat(nodeB.findMessage(m.id(), null).orElseThrow().reactions()).hasSize(5);
    }

    @Test
    void eachExpiredMessageIsErasedAndAnnouncedByOneNode() throws Exception {
        Conversation group = data.createGroup(nodeA, "alice", "bob");
        Set<String> due = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            NewMessage m = new NewMessage(data.id("m"), group.id(), "alice", data.id("c"), new MessageBody("bye " + i),
                    null, data.now(), data.now().plusSeconds(1));
            due.add(nodeA.append(m, r -> { }).join().message().id());
        }
        var at = data.now().plusSeconds(1);

        List<List<ExpiredMessage>> swept = together(List.of(
                () -> nodeA.expire(group.id(), at, 100), () -> nodeB.expire(group.id(), at, 100)));

        List<String> announced = new ArrayList<>();
        swept.forEach(list -> list.forEach(e -> announced.add(e.messageId())));
        assertThat(announced).as("each once, none missing").containsExactlyInAnyOrderElementsOf(due);
    }
}
