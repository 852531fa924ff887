package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.SendOptions;
import dev.parley.core.ThreadPage;
import dev.parley.core.ThreadView;
import dev.parley.core.event.ChatEvent.ThreadEvent;
import dev.parley.core.event.ChatEvent.ThreadReadEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Threads through the Java client against a real server: replies, events, paging, cursors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadsClientTest {
    private final TestServer server = new TestServer();
    private final List<Message> bobMessages = new CopyOnWriteArrayList<>();
    private final List<ThreadEvent> bobThreads = new CopyOnWriteArrayList<>();
    private final List<ThreadReadEvent> aliceReads = new CopyOnWriteArrayList<>();
    private ChatClient alice;
    private ChatClient aliceTablet;
    private ChatClient bob;
    private Conversation group;

    @BeforeEach
    void connect() {
        for (String u : List.of("alice", "bob", "carol")) {
            server.engine.putUser(u, u);
        }
        group = server.engine.createGroup("alice", "Team", List.of("bob", "carol"));
        alice = server.client("alice", new RecordingListener());
        aliceTablet = server.client("alice", new ChatClient.Listener() {
            @Override
            public void onThreadRead(ThreadReadEvent event) {
                aliceReads.add(event);
            }
        });
        bob = server.client("bob", new ChatClient.Listener() {
            @Override
            public void onMessage(Message message) {
                bobMessages.add(message);
            }

            @Override
            public void onThread(ThreadEvent event) {
                bobThreads.add(event);
            }
        });
        join(alice.connect());
        join(aliceTablet.connect());
        join(bob.connect());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static ErrorCode failure(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).orTimeout(10, TimeUnit.SECONDS).join();
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        return ((ChatException) cause).code();
    }

    @Test
    void aThreadReplyReachesMembersWithTheRootSummary() {
        Message root = join(alice.send(group.id(), "release friday?"));
        Message reply = join(alice.replyInThread(group.id(), root.id(), "or monday"));

        assertThat(reply.threadRootId()).isEqualTo(root.id());
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(bobMessages).extracting(Message::id).containsExactly(root.id(), reply.id());
            assertThat(bobThreads).singleElement().satisfies(t -> {
                assertThat(t.rootId()).isEqualTo(root.id());
                assertThat(t.thread().replyCount()).isEqualTo(1);
                assertThat(t.thread().participants()).containsExactly("alice");
            });
        });
    }

    @Test
    void threadHistoryThreadsAndCursorsRoundTrip() {
        Message root = join(alice.send(group.id(), "root"));
        Message r1 = join(bob.sendWithOptions(group.id(), new MessageBody("one"), null, SendOptions.NONE.inThread(root.id())));
        Message r2 = join(bob.replyInThread(group.id(), root.id(), "two"));

        ThreadPage page = join(alice.threadHistory(group.id(), root.id(), null, null, 10));
        assertThat(page.messages()).containsExactly(r1, r2);
        assertThat(page.thread().root().thread().replyCount()).isEqualTo(2);
        assertThat(page.thread().unread()).isEqualTo(2);
        assertThat(page.hasMore()).isFalse();

        assertThat(join(alice.markThreadRead(group.id(), root.id(), r1.seq()))).isEqualTo(r1.seq());
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(aliceReads).singleElement()
                .satisfies(e -> assertThat(e.seq()).isEqualTo(r1.seq())));

        List<ThreadView> threads = join(alice.threads(group.id(), null, 10));
        assertThat(threads).singleElement().satisfies(t -> {
            assertThat(t.root().id()).isEqualTo(root.id());
            assertThat(t.readSeq()).isEqualTo(r1.seq());
            assertThat(t.unread()).isEqualTo(1);
        });
    }

    @Test
    void badThreadCommandsGetErrors() {
        Message root = join(alice.send(group.id(), "root"));
        Message reply = join(alice.replyInThread(group.id(), root.id(), "r"));

        assertThat(failure(bob.replyInThread(group.id(), reply.id(), "nested"))).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failure(bob.replyInThread(group.id(), "missing", "x"))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(bob.threadHistory(group.id(), "missing", null, null, 10))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(bob.markThreadRead(group.id(), root.id(), reply.seq() + 5))).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failure(bob.threads(group.id(), null, 0))).isEqualTo(ErrorCode.BAD_REQUEST);
    }
}
