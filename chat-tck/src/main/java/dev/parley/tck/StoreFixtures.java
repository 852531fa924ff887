package dev.parley.tck;

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
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Test values for the store contracts, with a hand-advanced clock that starts at {@link #T0}
 * and unique ids. One instance per test class instance; not shared between tests.
 *
 * <pre>{@code
 * StoreFixtures data = new StoreFixtures();
 * Conversation group = data.createGroup(store, "alice", "bob");
 * Message m = data.send(store, group.id(), "alice").message();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class StoreFixtures {
    /** Where the clock starts: 2025-01-01T00:00:00Z. */
    public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong millis = new AtomicLong();

    /** The fixture clock's time; moves only by {@link #tick()}. */
    public Instant now() {
        return T0.plusMillis(millis.get());
    }

    /** Moves the clock by one millisecond; tests about activity order never depend on it. */
    public void tick() {
        millis.incrementAndGet();
    }

    /** A new id, {@code prefix-n}. */
    public String id(String prefix) {
        return prefix + "-" + ids.incrementAndGet();
    }

    /** A user named "Name of {@code id}", created now. */
    public User user(String id) {
        return new User(id, "Name of " + id, now());
    }

    /** A new group (not stored) created by {@code createdBy}. */
    public Conversation group(String createdBy) {
        return new Conversation(id("g"), ConversationKind.GROUP, "group", null, createdBy, now(), 0);
    }

    /** A new direct conversation (not stored) between {@code a} and {@code b}, created by {@code a}. */
    public Conversation direct(String a, String b) {
        return new Conversation(id("d"), ConversationKind.DIRECT, null, Conversation.directKey(a, b), a, now(), 0);
    }

    /** A plain member with both cursors at 0, joined now. */
    public Member member(Conversation c, String userId) {
        return new Member(c.id(), userId, Role.MEMBER, now(), 0, 0);
    }

    /** {@link #member} for each user, in order. */
    public List<Member> members(Conversation c, String... userIds) {
        List<Member> list = new ArrayList<>();
        for (String u : userIds) {
            list.add(member(c, u));
        }
        return list;
    }

    /** Stores a group with {@code userIds} as members (the first is the owner) and returns it. */
    public Conversation createGroup(ChatStore store, String... userIds) {
        Conversation c = group(userIds[0]);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < userIds.length; i++) {
            members.add(new Member(c.id(), userIds[i], i == 0 ? Role.OWNER : Role.MEMBER, now(), 0, 0));
        }
        return store.createConversation(c, members);
    }

    /** A message draft with a new id and the text "text {@code clientMsgId}", sent now. */
    public NewMessage message(String conversationId, String senderId, String clientMsgId) {
        return new NewMessage(id("m"), conversationId, senderId, clientMsgId, new MessageBody("text " + clientMsgId),
                null, now());
    }

    /** Appends a new message with a new clientMsgId and waits for the commit. */
    public AppendResult send(ChatStore store, String conversationId, String senderId) {
        return store.append(message(conversationId, senderId, id("c")), r -> { }).join();
    }

    /** Asserts that {@code call} throws a {@link ChatException} with {@code code}. */
    public static void assertCode(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ChatException.class)
                .satisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(code));
    }

    /** Waits (at most 10 s) for {@code future} to fail and returns the code of its {@link ChatException}. */
    public static ErrorCode failureCode(CompletableFuture<?> future) {
        assertThat(future).failsWithin(10, TimeUnit.SECONDS);
        Throwable cause = future.handle((v, e) -> e).join();
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(ChatException.class);
        return ((ChatException) cause).code();
    }
}
