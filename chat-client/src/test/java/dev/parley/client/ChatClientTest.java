package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationKind;
import dev.parley.core.ConversationPage;
import dev.parley.core.CursorKind;
import dev.parley.core.ErrorCode;
import dev.parley.core.HistoryPage;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.event.TypingState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatClientTest {
    private final TestServer server = new TestServer();

    @AfterEach
    void stop() {
        server.close();
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static ChatException failure(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(t).as("future should have failed").isNotNull();
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        assertThat(cause).isInstanceOf(ChatException.class);
        return (ChatException) cause;
    }

    @Test
    void twoUsersChatInRealTime() {
        server.engine.putUser("alice", "Alice");
        server.engine.putUser("bob", "Bob");
        Conversation dm = server.engine.createDirect("alice", "bob");
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        ChatClient alice = server.client("alice", a);
        ChatClient bob = server.client("bob", b);

        SessionInfo session = join(alice.connect());
        assertThat(session.userId()).isEqualTo("alice");
        assertThat(session.pingInterval()).isPositive();
        join(bob.connect());

        // presence: alice sees bob come online, and can ask
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.presence)
                .anySatisfy(p -> {
                    assertThat(p.userId()).isEqualTo("bob");
                    assertThat(p.status()).isEqualTo(PresenceStatus.ONLINE);
                }));
        List<PresenceEvent> statuses = join(alice.presence(List.of("bob")));
        assertThat(statuses).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo(PresenceStatus.ONLINE));

        // typing
        join(bob.typing(dm.id(), TypingState.START));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.typing).anySatisfy(t -> {
            assertThat(t.userId()).isEqualTo("bob");
            assertThat(t.conversationId()).isEqualTo(dm.id());
            assertThat(t.state()).isEqualTo(TypingState.START);
        }));

        // message, delivered to the other side and echoed once to the sender's listener
        Message sent = join(alice.send(dm.id(), "hello bob"));
        assertThat(sent.seq()).isEqualTo(1);
        assertThat(sent.senderId()).isEqualTo("alice");
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.texts()).containsExactly("hello bob"));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.texts()).containsExactly("hello bob"));
        assertThat(b.threads).allSatisfy(name -> assertThat(name).startsWith("parley-client-").contains("-callback-"));

        // reply and receipts
        Message reply = join(bob.send(dm.id(), "hi alice", sent.id()));
        assertThat(reply.replyTo()).isEqualTo(sent.id());
        join(bob.markRead(dm.id(), reply.seq()));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.receipts).anySatisfy(r -> {
            assertThat(r.userId()).isEqualTo("bob");
            assertThat(r.kind()).isEqualTo(CursorKind.READ);
            assertThat(r.seq()).isEqualTo(2);
        }));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.texts()).containsExactly("hello bob", "hi alice"));

        // history and conversation list
        HistoryPage page = join(alice.history(dm.id(), null, null, 10));
        assertThat(page.messages()).extracting(Message::seq).containsExactly(1L, 2L);
        ConversationPage list = join(alice.conversations());
        assertThat(list.conversations()).singleElement().satisfies(s -> {
            assertThat(s.conversation().id()).isEqualTo(dm.id());
            assertThat(s.memberIds()).containsExactlyInAnyOrder("alice", "bob");
            assertThat(s.lastMessage().body().text()).isEqualTo("hi alice");
        });
        assertThat(join(alice.ping())).isPositive();

        // bob leaves: alice sees him go offline
        bob.close();
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.presence)
                .anySatisfy(p -> assertThat(p.status()).isEqualTo(PresenceStatus.OFFLINE)));
        assertThat(b.states).endsWith(ConnectionState.CLOSED);
    }

    @Test
    void groupsAreCreatedAndNewMembersGetLiveMessages() {
        RecordingListener a = new RecordingListener();
        RecordingListener c = new RecordingListener();
        ChatClient alice = server.client("alice", a);
        ChatClient carol = server.client("carol", c);
        join(alice.connect());
        join(carol.connect());
        server.engine.putUser("bob", "Bob");

        Conversation group = join(alice.createGroup("team", List.of("bob")));
        assertThat(group.kind()).isEqualTo(ConversationKind.GROUP);
        assertThat(alice.lastSeq(group.id())).hasValue(0);
        join(alice.send(group.id(), "before carol"));
        join(alice.addMember(group.id(), "carol"));
        join(alice.send(group.id(), "welcome carol"));

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(c.texts()).contains("welcome carol"));
        assertThat(c.texts()).doesNotContain("before carol");
        // Adding carol is in the timeline as a system message between the two.
        assertThat(a.texts()).containsExactly("before carol", "", "welcome carol");
        assertThat(a.messages.get(1).system()).isEqualTo(new dev.parley.core.SystemInfo("member.added", "carol", null));
    }

    @Test
    void oneUserOnTwoDevicesSeesEveryMessageOnceOnEach() {
        server.engine.putUser("alice", "Alice");
        server.engine.putUser("bob", "Bob");
        Conversation dm = server.engine.createDirect("alice", "bob");
        RecordingListener phone = new RecordingListener();
        RecordingListener laptop = new RecordingListener();
        RecordingListener b = new RecordingListener();
        ChatClient alicePhone = server.client("alice", phone);
        ChatClient aliceLaptop = server.client("alice", laptop);
        ChatClient bob = server.client("bob", b);
        join(alicePhone.connect());
        join(aliceLaptop.connect());
        join(bob.connect());

        join(bob.send(dm.id(), "from bob"));
        join(alicePhone.send(dm.id(), "from phone"));
        join(aliceLaptop.send(dm.id(), "from laptop"));

        List<String> all = List.of("from bob", "from phone", "from laptop");
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(phone.texts()).containsExactlyElementsOf(all);
            assertThat(laptop.texts()).containsExactlyElementsOf(all);
            assertThat(b.texts()).containsExactlyElementsOf(all);
        });
    }

    @Test
    void sameClientMsgIdIsStoredOnce() {
        server.engine.putUser("bob", "Bob");
        ChatClient alice = server.client("alice", new RecordingListener());
        join(alice.connect());
        Conversation dm = join(alice.createDirect("bob"));
        String key = alice.newClientMsgId();
        Message first = join(alice.send(dm.id(), new MessageBody("once"), null, key));
        Message again = join(alice.send(dm.id(), new MessageBody("once"), null, key));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(server.engine.history("alice", dm.id(), null, null, 10).messages()).hasSize(1);
    }

    @Test
    void nonMemberSendFailsWithForbidden() {
        server.engine.putUser("alice", "Alice");
        server.engine.putUser("bob", "Bob");
        Conversation dm = server.engine.createDirect("alice", "bob");
        ChatClient carol = server.client("carol", new RecordingListener());
        join(carol.connect());

        ChatException e = failure(carol.send(dm.id(), "let me in"));
        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(failure(carol.history(dm.id(), null, null, 10)).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(server.engine.history("alice", dm.id(), null, null, 10).messages()).isEmpty();
        assertThat(carol.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void badTokenFailsConnectWithUnauthenticatedAndDoesNotRetry() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            RecordingListener l = new RecordingListener();
            ChatClient client = ChatClient.builder().uri(proxy.uri()).token("not-a-token")
                    .reconnect(Duration.ofMillis(10), Duration.ofMillis(20), 0).listener(l).build();
            try (client) {
                ChatException e = failure(client.connect());
                assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                        .until(() -> proxy.accepted() == 1);
                assertThat(l.states).containsExactly(ConnectionState.CONNECTING, ConnectionState.DISCONNECTED);
                assertThat(l.causes).singleElement().asInstanceOf(InstanceOfAssertFactories.type(ChatException.class))
                        .extracting(ChatException::code).isEqualTo(ErrorCode.UNAUTHENTICATED);
            }
        }
    }

    @Test
    void unreachableServerFailsConnectWithUnavailable() throws Exception {
        TcpProxy proxy = new TcpProxy(server.port());
        proxy.refuse(true);
        try (proxy; ChatClient client = server.client("alice", proxy.uri(), new RecordingListener())) {
            ChatException e = failure(client.connect());
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.code().retryable()).isTrue();
            assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
            proxy.refuse(false);
            assertThat(join(client.connect()).userId()).isEqualTo("alice");
        }
    }

    @Test
    void commandsOtherThanSendFailFastWhileDisconnected() {
        ChatClient alice = server.client("alice", new RecordingListener());
        assertThat(failure(alice.conversations()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failure(alice.createDirect("bob")).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void closeIsIdempotentAndFailsQueuedSends() {
        RecordingListener l = new RecordingListener();
        ChatClient alice = server.client("alice", l);
        CompletableFuture<Message> queued = alice.send("some-conversation", "never sent");
        alice.close();
        alice.close();
        assertThat(failure(queued).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(alice.state()).isEqualTo(ConnectionState.CLOSED);
        assertThatThrownBy(() -> alice.connect().join()).hasCauseInstanceOf(IllegalStateException.class);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(l.states).containsExactly(ConnectionState.CLOSED));
    }

    @Test
    void throwingListenerDoesNotStopDelivery() {
        server.engine.putUser("alice", "Alice");
        server.engine.putUser("bob", "Bob");
        Conversation dm = server.engine.createDirect("alice", "bob");
        RecordingListener b = new RecordingListener();
        ChatClient bob = server.client("bob", new ChatClient.Listener() {
            @Override
            public void onMessage(Message message) {
                throw new IllegalStateException("listener bug");
            }
        });
        bob.addListener(b);
        ChatClient alice = server.client("alice", new RecordingListener());
        join(bob.connect());
        join(alice.connect());
        join(alice.send(dm.id(), "one"));
        join(alice.send(dm.id(), "two"));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.texts()).containsExactly("one", "two"));
    }

    @Test
    void builderRejectsMissingAndRepeatedOptions() {
        assertThatThrownBy(() -> ChatClient.builder().token("t").build()).hasMessageContaining("uri");
        assertThatThrownBy(() -> ChatClient.builder().uri(server.uri()).build()).hasMessageContaining("token");
        assertThatThrownBy(() -> ChatClient.builder().uri(server.uri()).uri(server.uri()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ChatClient.builder().uri(java.net.URI.create("http://x/ws")).token("t").build())
                .hasMessageContaining("ws://");
        assertThatThrownBy(() -> ChatClient.builder().uri(server.uri()).token("t")
                .reconnect(Duration.ofSeconds(2), Duration.ofSeconds(1), 1).build()).hasMessageContaining("max");
    }
}
