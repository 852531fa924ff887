package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationKind;
import dev.parley.core.ErrorCode;
import dev.parley.core.Member;
import dev.parley.core.MessageBody;
import dev.parley.core.Role;
import dev.parley.core.User;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.NewMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Builders for test values with a fixed, hand-advanced clock. */
final class TestData {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong millis = new AtomicLong();

    Instant now() {
        return T0.plusMillis(millis.get());
    }

    /** Moves the clock; tests that care about activity order do not depend on it. */
    void tick() {
        millis.incrementAndGet();
    }

    String id(String prefix) {
        return prefix + "-" + ids.incrementAndGet();
    }

    User user(String id) {
        return new User(id, "Name of " + id, now());
    }

    Conversation group(String createdBy) {
        return new Conversation(id("g"), ConversationKind.GROUP, "group", null, createdBy, now(), 0);
    }

    Conversation direct(String a, String b) {
        return new Conversation(id("d"), ConversationKind.DIRECT, null, Conversation.directKey(a, b), a, now(), 0);
    }

    Member member(Conversation c, String userId) {
        return new Member(c.id(), userId, Role.MEMBER, now(), 0, 0);
    }

    List<Member> members(Conversation c, String... userIds) {
        List<Member> list = new ArrayList<>();
        for (String u : userIds) {
            list.add(member(c, u));
        }
        return list;
    }

    /** Creates a group with {@code userIds} as members (the first is the owner). */
    Conversation createGroup(ChatStore store, String... userIds) {
        Conversation c = group(userIds[0]);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < userIds.length; i++) {
            members.add(new Member(c.id(), userIds[i], i == 0 ? Role.OWNER : Role.MEMBER, now(), 0, 0));
        }
        return store.createConversation(c, members);
    }

    NewMessage message(String conversationId, String senderId, String clientMsgId) {
        return new NewMessage(id("m"), conversationId, senderId, clientMsgId, new MessageBody("text " + clientMsgId),
                null, now());
    }

    AppendResult send(ChatStore store, String conversationId, String senderId) {
        return store.append(message(conversationId, senderId, id("c")), r -> { }).join();
    }

    static void assertCode(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ChatException.class)
                .satisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(code));
    }

    static ErrorCode failureCode(CompletableFuture<?> future) {
        assertThat(future).failsWithin(10, TimeUnit.SECONDS);
        Throwable cause = future.handle((v, e) -> e).join();
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(ChatException.class);
        return ((ChatException) cause).code();
    }

    /**
     * Holds the store's writer thread inside a commit callback, so that everything appended
     * meanwhile is committed together in the next batch.
     */
    static final class WriterGate implements AutoCloseable {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<AppendResult> blocker;

        WriterGate(ChatStore store, NewMessage message) {
            blocker = store.append(message, r -> {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                assertThat(entered.await(10, TimeUnit.SECONDS)).as("writer reached the gate").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        void open() {
            release.countDown();
        }

        @Override
        public void close() {
            open();
        }
    }
}
