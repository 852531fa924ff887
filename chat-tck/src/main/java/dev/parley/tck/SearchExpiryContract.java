package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Conversation;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.SearchHit;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.ExpiredMessage;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.SearchQuery;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link ChatStore} does for full-text search and message expiry. Search matches
 * whole words case-insensitively, every word required; characters that mean something in a
 * query language are plain text; snippets mark matched words with {@code «} and {@code »}.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}:
 * <pre>{@code
 * class MyStoreSearchExpiryTest extends SearchExpiryContract {
 *     @Override
 *     protected ChatStore openStore() {
 *         return new MyStore(...); // empty: no users, conversations or messages
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> JUnit makes a new instance of the test class for every test. Before each
 * test the contract calls {@link #openStore()} once, keeps the result in {@link #store}, and stores the users alice, bob, carol and dave, {@link #group} (alice, bob, carol) and
 * {@link #other} (dave, bob);
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
public abstract class SearchExpiryContract {
    /** Values and the clock of this test. */
    protected final StoreFixtures data = new StoreFixtures();
    /** The store under test, opened before each test. */
    protected ChatStore store;
    /** The group stored before each test. */
    protected Conversation group;
    /** The second group stored before each test: dave and bob. */
    protected Conversation other;

    /** A new, empty store; called before every test (see the lifecycle above). */
    protected abstract ChatStore openStore();

    @BeforeEach
    protected final void openContractStore() {
        store = openStore();
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            store.putUser(data.user(u));
        }
        group = data.createGroup(store, "alice", "bob", "carol");
        other = data.createGroup(store, "dave", "bob");
    }

    @AfterEach
    protected final void closeContractStore() {
        store.close();
    }

    /** Appends {@code text} to {@code c}, then moves the clock by a millisecond. */
    protected Message send(Conversation c, String senderId, String text) {
        return send(c, senderId, text, null);
    }

    /** Appends {@code text} expiring at {@code expiresAt} (null for never), then moves the clock. */
    protected Message send(Conversation c, String senderId, String text, Instant expiresAt) {
        NewMessage m = new NewMessage(data.id("m"), c.id(), senderId, data.id("c"), new MessageBody(text), null,
                data.now(), expiresAt);
        data.tick();
        return store.append(m, r -> { }).join().message();
    }

    private List<SearchHit> search(String viewer, String text) {
        return store.search(viewer, new SearchQuery(text, null, null, null, null, 20, 0));
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(h -> h.message().id()).toList();
    }

    // ------------------------------------------------------------------ search

    @Test
    void searchFindsMessagesWithEveryWordCaseInsensitivelyAndMarksThem() {
        Message lunch = send(group, "alice", "Lunch on Friday at noon?");
        send(group, "bob", "friday is fine");
        send(group, "carol", "lunch tomorrow");

        List<SearchHit> hits = search("bob", "friday LUNCH");

        assertThat(ids(hits)).containsExactly(lunch.id());
        assertThat(hits.get(0).snippet()).contains("«Lunch»").contains("«Friday»");
        assertThat(hits.get(0).message().body().text()).isEqualTo("Lunch on Friday at noon?");
    }

    @Test
    void searchCoversOnlyConversationsTheViewerIsAMemberOf() {
        Message inGroup = send(group, "alice", "secret plan");
        Message inOther = send(other, "dave", "secret party");

        assertThat(ids(search("alice", "secret"))).containsExactly(inGroup.id());
        assertThat(ids(search("dave", "secret"))).containsExactly(inOther.id());
        assertThat(ids(search("bob", "secret"))).containsExactlyInAnyOrder(inGroup.id(), inOther.id());
    }

    @Test
    void searchLeavesOutDeletedAndHiddenMessages() {
        Message deleted = send(group, "alice", "banana one");
        Message hidden = send(group, "alice", "banana two");
        Message kept = send(group, "alice", "banana three");
        store.deleteMessage(deleted.id());
        store.hideMessage("bob", hidden.id(), data.now());

        assertThat(ids(search("bob", "banana"))).containsExactly(kept.id());
        assertThat(ids(search("carol", "banana"))).containsExactlyInAnyOrder(hidden.id(), kept.id());
    }

    @Test
    void anEditReplacesTheIndexedWords() {
        Message m = send(group, "alice", "meet at the station");
        store.editMessage(m.id(), new MessageBody("meet at the harbour"), data.now());

        assertThat(search("bob", "station")).isEmpty();
        assertThat(ids(search("bob", "harbour"))).containsExactly(m.id());
    }

    @Test
    void searchFiltersByConversationSenderAndTime() {
        Message first = send(group, "alice", "apple");
        Message second = send(group, "bob", "apple");
        Message third = send(other, "bob", "apple");

        assertThat(ids(store.search("bob", new SearchQuery("apple", group.id(), null, null, null, 20, 0))))
                .containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(ids(store.search("bob", new SearchQuery("apple", null, "bob", null, null, 20, 0))))
                .containsExactlyInAnyOrder(second.id(), third.id());
        assertThat(ids(store.search("bob", new SearchQuery("apple", null, null, second.createdAt(),
                third.createdAt(), 20, 0)))).containsExactly(second.id());
    }

    @Test
    void searchPagesWithLimitAndOffset() {
        for (int i = 0; i < 5; i++) {
            send(group, "alice", "pear " + i);
        }
        List<SearchHit> all = search("bob", "pear");
        List<SearchHit> page = store.search("bob", new SearchQuery("pear", null, null, null, null, 2, 2));

        assertThat(all).hasSize(5);
        assertThat(ids(page)).containsExactlyElementsOf(ids(all).subList(2, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "foo*", "NEAR(a b)", "a OR", ")", "(", "AND", "\"unbalanced", "col:foo", "^foo",
            "-foo", "foo + bar", "{a b}", "*", "''", "NOT foo"})
    void queryLanguageSyntaxIsTreatedAsPlainWords(String query) {
        send(group, "alice", "foo bar a b near and or not col");

        assertThat(search("bob", query)).allSatisfy(h -> assertThat(h.snippet()).isNotNull());
    }

    @Test
    void wordsAreRunsOfLettersAndDigitsMatchedWhole() {
        Message m = send(group, "alice", "write to alice@example.com or call 555-0100, ok?");

        assertThat(ids(search("bob", "example"))).containsExactly(m.id());
        assertThat(ids(search("bob", "0100"))).containsExactly(m.id());
        assertThat(search("bob", "exam")).as("no prefix matching").isEmpty();
    }

    @Test
    void operatorWordsAreSearchedAsWords() {
        Message m = send(group, "alice", "this OR that");
        send(group, "alice", "this only");

        assertThat(ids(search("bob", "this OR"))).containsExactly(m.id());
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void aMessageWithAnExpiryIsErasedWhenItIsDue() {
        Instant at = data.now().plusSeconds(30);
        Message expiring = send(group, "alice", "self destruct", at);
        Message staying = send(group, "alice", "stays");
        store.addReaction(expiring.id(), "bob", "👍", data.now(), 20, 50);
        store.pin(expiring.id(), "alice", data.now(), 50);

        assertThat(store.conversationsWithExpired(at.minusMillis(1), 10)).isEmpty();
        assertThat(store.conversationsWithExpired(at, 10)).containsExactly(group.id());
        List<ExpiredMessage> gone = store.expire(group.id(), at, 100);

        assertThat(gone).containsExactly(new ExpiredMessage(expiring.id(), expiring.seq()));
        Message tombstone = store.findMessage(expiring.id(), "bob").orElseThrow();
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.expired()).isTrue();
        assertThat(tombstone.body().text()).isEmpty();
        assertThat(tombstone.reactions()).isEmpty();
        assertThat(tombstone.seq()).isEqualTo(expiring.seq());
        assertThat(store.pinned(group.id(), null)).isEmpty();
        assertThat(search("bob", "destruct")).isEmpty();
        assertThat(store.findMessage(staying.id(), null).orElseThrow()).isEqualTo(staying);
        assertThat(store.history(group.id(), null, null, 10).messages()).extracting(Message::seq)
                .containsExactly(1L, 2L);
        assertThat(store.expire(group.id(), at.plusSeconds(60), 100)).isEmpty();
        assertThat(store.conversationsWithExpired(at.plusSeconds(60), 10)).isEmpty();
    }

    @Test
    void theConversationTimerAppliesToLaterMessagesAndTheShorterExpiryWins() {
        Message before = send(group, "alice", "before the timer");
        store.setExpiry(group.id(), 60);
        assertThat(store.expiry(group.id())).isEqualTo(60);
        Instant sent = data.now();
        Message byTimer = send(group, "alice", "timer");
        Message byTtl = send(group, "alice", "short ttl", sent.plusSeconds(10));
        Message longTtl = send(group, "alice", "long ttl", sent.plusSeconds(600));

        assertThat(expiredIds(store.expire(group.id(), sent.plusSeconds(11), 100))).containsExactly(byTtl.id());
        assertThat(expiredIds(store.expire(group.id(), sent.plusSeconds(61), 100)))
                .containsExactly(byTimer.id(), longTtl.id());
        assertThat(store.findMessage(before.id(), null).orElseThrow().deleted()).isFalse();

        store.setExpiry(group.id(), 0);
        Message after = send(group, "alice", "timer off");
        assertThat(store.expire(group.id(), sent.plusSeconds(100_000), 100)).isEmpty();
        assertThat(store.findMessage(after.id(), null).orElseThrow().deleted()).isFalse();
    }

    private static List<String> expiredIds(List<ExpiredMessage> gone) {
        return gone.stream().map(ExpiredMessage::messageId).toList();
    }
}
