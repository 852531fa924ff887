package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Audience;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationKind;
import dev.parley.core.Member;
import dev.parley.core.Role;
import dev.parley.core.spi.SendContext;
import java.util.ArrayList;
import java.util.List;
import dev.parley.core.PrivacySettings;
import dev.parley.core.RelationState;
import dev.parley.core.User;
import dev.parley.core.spi.ChatStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} does for profiles, user search, friends and blocks, and
 * privacy settings.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}:
 * <pre>{@code
 * class MyStoreSocialTest extends SocialStoreContract {
 *     @Override
 *     protected ChatStore openStore() {
 *         return new MyStore(...); // empty: no users, conversations or messages
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> JUnit makes a new instance of the test class for every test. Before each
 * test the contract calls {@link #openStore()} once, keeps the result in {@link #store};
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
public abstract class SocialStoreContract {
    /** The creation time of every user the contract stores. */
    protected static final Instant T0 = StoreFixtures.T0;

    /** The store under test, opened before each test. */
    protected ChatStore store;

    /** A new, empty store; called before every test (see the lifecycle above). */
    protected abstract ChatStore openStore();

    @BeforeEach
    protected final void openContractStore() {
        store = openStore();
    }

    @AfterEach
    protected final void closeContractStore() {
        store.close();
    }

    /** Stores a user created at {@link #T0} and returns it. */
    protected User putUser(String id, String name) {
        User user = new User(id, name, T0);
        store.putUser(user);
        return user;
    }

    // ------------------------------------------------------------------ profiles

    @Test
    void avatarAndBioAreStored() {
        User alice = new User("alice", "Alice", T0, "https://example.com/alice.png", "Likes tea.");

        store.putUser(alice);

        assertThat(store.findUser("alice")).contains(alice);
    }

    @Test
    void userWithoutAvatarOrBioHasNeither() {
        User bob = putUser("bob", "Bob");

        assertThat(store.findUser("bob")).contains(bob);
        assertThat(store.findUser("bob").orElseThrow().avatar()).isNull();
    }

    @Test
    void putUserReplacesAvatarAndBio() {
        store.putUser(new User("alice", "Alice", T0, "eip155:1/erc721:0xabc/1", "Old bio."));
        User changed = new User("alice", "Alice A.", T0, "https://example.com/new.png", null);

        store.putUser(changed);

        assertThat(store.findUser("alice")).contains(changed);
    }

    // ------------------------------------------------------------------ read receipts in bulk

    @Test
    void readReceiptsOffListsOnlyUsersWhoTurnedThemOff() {
        putUser("alice", "Alice");
        putUser("bob", "Bob");
        putUser("carol", "Carol");
        store.putPrivacy("bob", new PrivacySettings(Audience.EVERYONE, Audience.EVERYONE, Audience.EVERYONE, false));
        store.putPrivacy("carol", PrivacySettings.defaults());

        assertThat(store.readReceiptsOff(List.of("alice", "bob", "carol", "ghost"))).containsExactly("bob");
        assertThat(store.readReceiptsOff(List.of())).isEmpty();
    }

    // ------------------------------------------------------------------ send context

    private Conversation conversation(String id, ConversationKind kind, String... members) {
        Conversation c = new Conversation(id, kind, kind == ConversationKind.GROUP ? "G" : null,
                kind == ConversationKind.DIRECT ? Conversation.directKey(members[0], members[1]) : null,
                members[0], T0, 0);
        List<Member> ms = new ArrayList<>();
        for (String m : members) {
            ms.add(new Member(id, m, Role.MEMBER, T0, 0, 0));
        }
        return store.createConversation(c, ms);
    }

    @Test
    void sendContextCarriesConversationMembersAndBlocksBothWays() {
        putUser("alice", "Alice");
        putUser("bob", "Bob");
        putUser("carol", "Carol");
        Conversation dm = conversation("dm", ConversationKind.DIRECT, "alice", "bob");
        conversation("g", ConversationKind.GROUP, "alice", "bob", "carol");

        SendContext context = store.sendContext("dm", "alice").orElseThrow();
        assertThat(context.conversation()).isEqualTo(dm);
        assertThat(context.memberIds()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(context.blocked()).isFalse();

        store.putRelation("bob", "alice", RelationState.BLOCKED);
        assertThat(store.sendContext("dm", "alice").orElseThrow().blocked()).isTrue();
        assertThat(store.sendContext("dm", "bob").orElseThrow().blocked()).isTrue();
        assertThat(store.sendContext("g", "alice").orElseThrow().blocked()).isFalse();
        assertThat(store.sendContext("g", "alice").orElseThrow().memberIds()).hasSize(3);
        store.putRelation("bob", "alice", RelationState.FRIENDS);
        assertThat(store.sendContext("dm", "alice").orElseThrow().blocked()).isFalse();
        assertThat(store.sendContext("nope", "alice")).isEmpty();
    }

    // ------------------------------------------------------------------ search

    @Test
    void searchUsersMatchesASubstringOfTheNameIgnoringCase() {
        User alice = putUser("u1", "Alice Liddell");
        User alicia = putUser("u2", "ALICIA");
        putUser("u3", "Bob");

        assertThat(store.searchUsers("lic", 10)).containsExactly(alicia, alice);
        assertThat(store.searchUsers("LIDD", 10)).containsExactly(alice);
        assertThat(store.searchUsers("zed", 10)).isEmpty();
    }

    @Test
    void searchUsersFoldsCaseBeyondAscii() {
        User elodie = putUser("u1", "Élodie");
        User ivan = putUser("u2", "ИВАН");

        assertThat(store.searchUsers("éLO", 10)).containsExactly(elodie);
        assertThat(store.searchUsers("иван", 10)).containsExactly(ivan);
    }

    @Test
    void searchUsersOrdersByNameThenId() {
        User b2 = putUser("b2", "Sam");
        User a = putUser("a9", "Samantha");
        User b1 = putUser("b1", "Sam");
        User c = putUser("a1", "Sammy");

        assertThat(store.searchUsers("sam", 10)).containsExactly(b1, b2, a, c);
    }

    @Test
    void searchUsersHonoursTheLimit() {
        for (int i = 0; i < 5; i++) {
            putUser("u" + i, "User " + i);
        }

        assertThat(store.searchUsers("user", 3)).extracting(User::id).containsExactly("u0", "u1", "u2");
    }

    @Test
    void searchUsersTakesPercentLiterally() {
        User percent = putUser("u1", "100% real");
        putUser("u2", "1000 real");

        assertThat(store.searchUsers("%", 10)).containsExactly(percent);
        assertThat(store.searchUsers("0% r", 10)).containsExactly(percent);
    }

    @Test
    void searchUsersTakesUnderscoreLiterally() {
        User underscore = putUser("u1", "snake_case");
        putUser("u2", "snakeXcase");

        assertThat(store.searchUsers("_", 10)).containsExactly(underscore);
        assertThat(store.searchUsers("e_c", 10)).containsExactly(underscore);
    }

    @Test
    void searchUsersTakesBackslashLiterally() {
        User backslash = putUser("u1", "back\\slash");
        putUser("u2", "backslash");
        putUser("u3", "back%slash");

        assertThat(store.searchUsers("\\", 10)).containsExactly(backslash);
        assertThat(store.searchUsers("k\\s", 10)).containsExactly(backslash);
        assertThat(store.searchUsers("\\%", 10)).isEmpty();
    }

    @Test
    void searchUsersFindsARenamedUserByItsNewName() {
        putUser("u1", "Old Name");
        User renamed = putUser("u1", "Brand New");

        assertThat(store.searchUsers("old", 10)).isEmpty();
        assertThat(store.searchUsers("new", 10)).containsExactly(renamed);
    }

    // ------------------------------------------------------------------ relations

    @Test
    void relationIsStoredPerDirection() {
        store.putRelation("alice", "bob", RelationState.REQUESTED);

        assertThat(store.relation("alice", "bob")).contains(RelationState.REQUESTED);
        assertThat(store.relation("bob", "alice")).isEmpty();
    }

    @Test
    void putRelationReplacesTheState() {
        store.putRelation("alice", "bob", RelationState.REQUESTED);

        store.putRelation("alice", "bob", RelationState.BLOCKED);

        assertThat(store.relation("alice", "bob")).contains(RelationState.BLOCKED);
        assertThat(store.relationsFrom("alice", RelationState.REQUESTED)).isEmpty();
        assertThat(store.relationsTo("bob", RelationState.REQUESTED)).isEmpty();
    }

    @Test
    void deleteRelationTellsWhetherThereWasOne() {
        store.putRelation("alice", "bob", RelationState.FRIENDS);
        store.putRelation("bob", "alice", RelationState.FRIENDS);

        assertThat(store.deleteRelation("alice", "bob")).isTrue();
        assertThat(store.deleteRelation("alice", "bob")).isFalse();
        assertThat(store.relation("alice", "bob")).isEmpty();
        assertThat(store.relation("bob", "alice")).as("the other direction stays").contains(RelationState.FRIENDS);
    }

    @Test
    void relationsFromListsOutgoingRowsInOneStateSortedById() {
        store.putRelation("alice", "dave", RelationState.FRIENDS);
        store.putRelation("alice", "bob", RelationState.FRIENDS);
        store.putRelation("alice", "carol", RelationState.BLOCKED);
        store.putRelation("erin", "alice", RelationState.FRIENDS);

        assertThat(store.relationsFrom("alice", RelationState.FRIENDS)).containsExactly("bob", "dave");
        assertThat(store.relationsFrom("alice", RelationState.BLOCKED)).containsExactly("carol");
        assertThat(store.relationsFrom("alice", RelationState.REQUESTED)).isEmpty();
    }

    @Test
    void relationsToListsIncomingRowsInOneStateSortedById() {
        store.putRelation("dave", "alice", RelationState.REQUESTED);
        store.putRelation("bob", "alice", RelationState.REQUESTED);
        store.putRelation("carol", "alice", RelationState.BLOCKED);
        store.putRelation("alice", "erin", RelationState.REQUESTED);

        assertThat(store.relationsTo("alice", RelationState.REQUESTED)).containsExactly("bob", "dave");
        assertThat(store.relationsTo("alice", RelationState.BLOCKED)).containsExactly("carol");
        assertThat(store.relationsTo("erin", RelationState.REQUESTED)).containsExactly("alice");
        assertThat(store.relationsTo("alice", RelationState.FRIENDS)).isEmpty();
    }

    // ------------------------------------------------------------------ privacy

    @Test
    void privacyIsTheDefaultWhenNeverSet() {
        assertThat(store.privacy("alice")).isEqualTo(PrivacySettings.defaults());
    }

    @Test
    void putPrivacyRoundTripsAndReplaces() {
        PrivacySettings strict = new PrivacySettings(Audience.FRIENDS, Audience.NOBODY, Audience.FRIENDS, false);
        PrivacySettings open = new PrivacySettings(Audience.EVERYONE, Audience.FRIENDS, Audience.NOBODY, true);

        store.putPrivacy("alice", strict);
        assertThat(store.privacy("alice")).isEqualTo(strict);

        store.putPrivacy("alice", open);
        assertThat(store.privacy("alice")).isEqualTo(open);
        assertThat(store.privacy("bob")).as("per user").isEqualTo(PrivacySettings.defaults());
    }
}
