package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.GroupInvite;
import dev.parley.core.GroupPermission;
import dev.parley.core.GroupSettings;
import dev.parley.core.Member;
import dev.parley.core.Role;
import dev.parley.core.spi.ChatStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} keeps for group administration: roles, removals, names,
 * settings, mutes, bans and invites.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}:
 * <pre>{@code
 * class MyStoreGroupTest extends GroupStoreContract {
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
public abstract class GroupStoreContract extends GroupOfThreeContract {
    @Test
    void setRoleChangesOnlyMembers() {
        assertThat(store.setRole(group.id(), "bob", Role.ADMIN)).isTrue();
        assertThat(store.findMember(group.id(), "bob").map(Member::role)).contains(Role.ADMIN);
        assertThat(store.setRole(group.id(), "nobody", Role.ADMIN)).isFalse();
    }

    @Test
    void removeMemberTakesTheUserOutOfMembersAndContacts() {
        assertThat(store.removeMember(group.id(), "bob")).isTrue();
        assertThat(store.removeMember(group.id(), "bob")).isFalse();
        assertThat(store.members(group.id())).extracting(Member::userId).containsExactly("alice", "carol");
        assertThat(store.sendContext(group.id(), "alice").orElseThrow().memberIds()).doesNotContain("bob");
        assertThat(store.contactsOf("bob")).isEmpty();
    }

    @Test
    void renameChangesTheName() {
        store.renameConversation(group.id(), "Renamed");
        assertThat(store.findConversation(group.id()).orElseThrow().name()).isEqualTo("Renamed");
    }

    @Test
    void settingsDefaultAndRoundTrip() {
        assertThat(store.groupSettings(group.id())).isEqualTo(GroupSettings.defaults());
        GroupSettings s = new GroupSettings("about", "https://x/a.png", GroupPermission.ADMINS, GroupPermission.ALL,
                GroupPermission.ALL, 30);
        store.putGroupSettings(group.id(), s);
        assertThat(store.groupSettings(group.id())).isEqualTo(s);
        GroupSettings cleared = s.withInfo(null, null);
        store.putGroupSettings(group.id(), cleared);
        assertThat(store.groupSettings(group.id())).isEqualTo(cleared);
    }

    @Test
    void mutesAreReplacedAndDeleted() {
        assertThat(store.mutedUntil(group.id(), "bob")).isEmpty();
        store.putMute(group.id(), "bob", T1);
        store.putMute(group.id(), "bob", T2);
        assertThat(store.mutedUntil(group.id(), "bob")).contains(T2);
        assertThat(store.deleteMute(group.id(), "bob")).isTrue();
        assertThat(store.deleteMute(group.id(), "bob")).isFalse();
        assertThat(store.mutedUntil(group.id(), "bob")).isEmpty();
    }

    @Test
    void bansAreKeptPerGroup() {
        assertThat(store.putBan(group.id(), "bob", T1)).isTrue();
        assertThat(store.putBan(group.id(), "bob", T1)).isFalse();
        assertThat(store.banned(group.id(), "bob")).isTrue();
        assertThat(store.banned(group.id(), "carol")).isFalse();
        assertThat(store.deleteBan(group.id(), "bob")).isTrue();
        assertThat(store.deleteBan(group.id(), "bob")).isFalse();
        assertThat(store.banned(group.id(), "bob")).isFalse();
    }

    @Test
    void invitesRoundTripAndReusedCodesConflict() {
        GroupInvite invite = new GroupInvite("code-1", group.id(), "alice", StoreFixtures.T0, T2, 5, 0, false);
        store.createInvite(invite);
        assertThat(store.findInvite("code-1")).contains(invite);
        assertThat(store.findInvite("other")).isEmpty();
        assertThatThrownBy(() -> store.createInvite(invite)).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        GroupInvite forever = new GroupInvite("code-2", group.id(), "alice", StoreFixtures.T0, null, null, 0, false);
        store.createInvite(forever);
        assertThat(store.findInvite("code-2")).contains(forever);
    }

    @Test
    void useInviteCountsUntilExpiredUsedUpOrRevoked() {
        store.createInvite(new GroupInvite("two", group.id(), "alice", StoreFixtures.T0, T2, 2, 0, false));
        assertThat(store.useInvite("two", T1)).isTrue();
        assertThat(store.useInvite("two", T2)).as("expired").isFalse();
        assertThat(store.useInvite("two", T1)).isTrue();
        assertThat(store.useInvite("two", T1)).as("used up").isFalse();
        assertThat(store.findInvite("two").orElseThrow().uses()).isEqualTo(2);

        store.createInvite(new GroupInvite("r", group.id(), "alice", StoreFixtures.T0, null, null, 0, false));
        assertThat(store.revokeInvite("other-group", "r")).isFalse();
        assertThat(store.revokeInvite(group.id(), "r")).isTrue();
        assertThat(store.revokeInvite(group.id(), "r")).isFalse();
        assertThat(store.findInvite("r").orElseThrow().revoked()).isTrue();
        assertThat(store.useInvite("r", T1)).isFalse();
        assertThat(store.useInvite("missing", T1)).isFalse();
    }

    @Test
    void concurrentJoinsCannotPassMaxUses() throws Exception {
        store.createInvite(new GroupInvite("five", group.id(), "alice", StoreFixtures.T0, null, 5, 0, false));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> uses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                uses.add(pool.submit(() -> store.useInvite("five", T1)));
            }
            int accepted = 0;
            for (Future<Boolean> f : uses) {
                accepted += f.get() ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }
}
