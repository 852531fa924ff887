package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.Verdict;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MembershipPolicyTest {
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();
    private volatile boolean broken;
    private final InMemoryChatStore store = new InMemoryChatStore();
    private final ChatEngine engine = ChatEngine.builder().store(store)
            .membershipPolicy((userId, group) -> {
                if (broken) {
                    throw new IllegalStateException("policy bug");
                }
                return allowed.contains(userId) ? Verdict.allow() : Verdict.reject(userId + " holds no token");
            })
            .build();

    MembershipPolicyTest() {
        for (String u : List.of("alice", "bob", "carol")) {
            engine.putUser(u, u);
        }
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void addingAUserThePolicyRejectsIsForbiddenWithItsReason() {
        Conversation g = engine.createGroup("alice", "G", List.of());

        assertThatThrownBy(() -> engine.addMember("alice", g.id(), "bob")).isInstanceOfSatisfying(ChatException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("bob holds no token");
                });
        assertThat(store.findMember(g.id(), "bob")).isEmpty();

        allowed.add("bob");
        engine.addMember("alice", g.id(), "bob");
        assertThat(store.findMember(g.id(), "bob")).isPresent();
    }

    @Test
    void joiningWithAnInviteIsCheckedBeforeTheInviteIsUsed() {
        Conversation g = engine.createGroup("alice", "G", List.of());
        GroupInvite invite = engine.createInvite("alice", g.id(), null, 1);

        assertThatThrownBy(() -> engine.join("carol", invite.code())).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));

        allowed.add("carol");
        assertThat(engine.join("carol", invite.code()).id()).isEqualTo(g.id());
    }

    @Test
    void aPolicyThatThrowsFailsClosedAsUnavailable() {
        Conversation g = engine.createGroup("alice", "G", List.of());
        allowed.add("bob");
        broken = true;

        assertThatThrownBy(() -> engine.addMember("alice", g.id(), "bob")).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void enforcingRemovesMembersNoLongerAllowedButNotTheOwner() {
        allowed.addAll(List.of("bob", "carol"));
        Conversation g = engine.createGroup("alice", "G", List.of("bob", "carol"));
        allowed.remove("bob");

        assertThat(engine.enforceMembershipPolicies(g.id())).containsExactly("bob");

        assertThat(store.members(g.id())).extracting(Member::userId).containsExactlyInAnyOrder("alice", "carol");
        Message last = engine.history("alice", g.id(), null, null, 1).messages().get(0);
        assertThat(last.system()).isEqualTo(new SystemInfo(SystemInfo.MEMBER_REMOVED, "bob", null));
    }

    @Test
    void enforcingKeepsMembersWhenThePolicyCannotCheck() {
        allowed.addAll(List.of("bob"));
        Conversation g = engine.createGroup("alice", "G", List.of("bob"));
        broken = true;

        assertThat(engine.enforceMembershipPolicies(g.id())).isEmpty();
        assertThat(store.findMember(g.id(), "bob")).isPresent();
    }
}
