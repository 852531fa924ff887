package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.GroupInvite;
import dev.parley.core.GroupPermission;
import dev.parley.core.Role;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The group administration commands through the Java client against a real server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupAdminClientTest {
    private final TestServer server = new TestServer();
    private ChatClient alice;
    private ChatClient bob;
    private Conversation group;

    @BeforeEach
    void connect() {
        for (String u : List.of("alice", "bob", "carol")) {
            server.engine.putUser(u, u);
        }
        group = server.engine.createGroup("alice", "Team", List.of("bob"));
        alice = server.client("alice", new RecordingListener());
        bob = server.client("bob", new RecordingListener());
        join(alice.connect());
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
        assertThat(cause).isInstanceOf(ChatException.class);
        return ((ChatException) cause).code();
    }

    @Test
    void rolesSettingsAndMutesRoundTrip() {
        assertThat(failure(bob.groups().setRole(group.id(), "alice", Role.MEMBER))).isEqualTo(ErrorCode.FORBIDDEN);
        join(alice.groups().setRole(group.id(), "bob", Role.ADMIN));
        Conversation updated = join(bob.groups().setPermissions(group.id(), GroupPermission.ADMINS, null, null, 5));
        assertThat(updated.settings().whoCanPost()).isEqualTo(GroupPermission.ADMINS);
        assertThat(updated.settings().slowModeSeconds()).isEqualTo(5);
        assertThat(join(alice.groups().update(group.id(), "Crew", null, null)).name()).isEqualTo("Crew");
        join(alice.groups().setRole(group.id(), "bob", Role.MEMBER));
        Instant until = join(alice.groups().mute(group.id(), "bob", 60));
        assertThat(until).isAfter(Instant.now().minusSeconds(5));
        join(alice.groups().unmute(group.id(), "bob"));
    }

    @Test
    void invitesJoinAndBansKeepOut() {
        GroupInvite invite = join(alice.groups().createInvite(group.id(), 3600L, 2));
        assertThat(invite.maxUses()).isEqualTo(2);
        assertThat(invite.expiresAt()).isNotNull();
        ChatClient carol = server.client("carol", new RecordingListener());
        join(carol.connect());
        assertThat(join(carol.groups().join(invite.code())).id()).isEqualTo(group.id());
        join(alice.groups().ban(group.id(), "carol"));
        assertThat(failure(carol.groups().join(invite.code()))).isEqualTo(ErrorCode.FORBIDDEN);
        join(alice.groups().unban(group.id(), "carol"));
        join(alice.groups().revokeInvite(group.id(), invite.code()));
        assertThat(failure(carol.groups().join(invite.code()))).isEqualTo(ErrorCode.NOT_FOUND);
        join(alice.groups().removeMember(group.id(), "bob"));
        assertThat(failure(bob.groups().leave(group.id()))).isEqualTo(ErrorCode.FORBIDDEN);
    }
}
