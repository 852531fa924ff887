package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.ConversationSummary;
import dev.parley.core.CursorKind;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.SystemInfo;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.SearchQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} does with system messages and mentions.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}:
 * <pre>{@code
 * class MyStoreSystemMentionsTest extends SystemMentionsContract {
 *     @Override
 *     protected ChatStore openStore() {
 *         return new MyStore(...); // empty: no users, conversations or messages
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> JUnit makes a new instance of the test class for every test. Before each
 * test the contract calls {@link #openStore()} once, keeps the result in {@link #store} and stores the users alice, bob and carol and {@link #group} with the three of them;
 * after each test it closes {@link #store}. So {@code openStore()} must return an
 * empty store every time: a new in-memory instance, or a database that was emptied
 * (a new file, a new or truncated schema). Your subclass may add tests of its own, and may call
 * {@code openStore()} again to check what survives a reopen: close the old store first and
 * assign the new one to {@link #store}, which the contract then closes.
 *
 * <p>Times are compared at millisecond precision, the finest a store must keep.
 *
 * @since 0.1.0
 */
public abstract class SystemMentionsContract extends GroupOfThreeContract {
    private Message append(String senderId, String text, SystemInfo system, List<String> mentions) {
        String id = data.id("m");
        NewMessage m = new NewMessage(id, group.id(), senderId, system == null ? data.id("c") : "sys:" + id,
                new MessageBody(text), null, data.now(), null, system, mentions);
        data.tick();
        return store.append(m, r -> { }).join().message();
    }

    private ConversationSummary summary(String userId) {
        return store.conversationsOf(userId, 10, null).conversations().get(0);
    }

    @Test
    void systemMessagesAreStoredAndReadBackWithTheirChange() {
        Message added = append("alice", "", new SystemInfo(SystemInfo.ROLE_CHANGED, "bob", "admin"), List.of());

        assertThat(added.seq()).isEqualTo(1);
        Message read = store.history(group.id(), null, null, 10, "bob").messages().get(0);
        assertThat(read).isEqualTo(added);
        assertThat(read.system()).isEqualTo(new SystemInfo(SystemInfo.ROLE_CHANGED, "bob", "admin"));
        assertThat(store.findMessage(added.id(), "bob").orElseThrow().system()).isEqualTo(read.system());
        assertThat(summary("bob").lastMessage().system()).isEqualTo(read.system());
    }

    @Test
    void systemMessagesAreNotUnreadAndSearchIgnoresThem() {
        append("alice", "", new SystemInfo(SystemInfo.MEMBER_ADDED, "carol", null), List.of());
        append("alice", "carol joined", null, List.of());

        assertThat(summary("bob").unread()).isEqualTo(1);
        assertThat(store.search("bob", new SearchQuery("carol", null, null, null, null, 10, 0)))
                .extracting(h -> h.message().body().text()).containsExactly("carol joined");
    }

    @Test
    void mentionsAreStoredInOrderAndCountedAboveTheReadCursor() {
        Message first = append("alice", "hi @bob @carol", null, List.of("bob", "carol"));
        append("carol", "and @bob", null, List.of("bob"));

        assertThat(store.history(group.id(), null, null, 10, "bob").messages().get(0).mentions())
                .containsExactly("bob", "carol");
        assertThat(summary("bob").mentionsUnread()).isEqualTo(2);
        assertThat(summary("carol").mentionsUnread()).isEqualTo(1);
        assertThat(summary("alice").mentionsUnread()).isZero();

        store.advanceCursor(group.id(), "bob", CursorKind.READ, first.seq());
        assertThat(summary("bob").mentionsUnread()).isEqualTo(1);
    }

    @Test
    void deletingAMessageDropsItsMentions() {
        Message m = append("alice", "hi @bob", null, List.of("bob"));

        store.deleteMessage(m.id());

        assertThat(summary("bob").mentionsUnread()).isZero();
        assertThat(store.history(group.id(), null, null, 10, "bob").messages().get(0).mentions()).isEmpty();
    }
}
