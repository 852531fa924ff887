package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.internal.ClientCore;
import dev.parley.core.Conversation;
import dev.parley.core.GroupInvite;
import dev.parley.core.GroupPermission;
import dev.parley.core.Role;
import dev.parley.core.protocol.Command;
import dev.parley.core.protocol.ProtocolCodec;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code group.*} commands of a {@link ChatClient}: roles, removal, leaving, settings, mutes,
 * bans and invite links. Each future fails with the server's
 * {@link dev.parley.core.ChatException}.
 *
 * <pre>{@code
 * client.groups().setRole(groupId, "bob", Role.ADMIN).join();
 * GroupInvite invite = client.groups().createInvite(groupId, 3600L, 10).join();
 * other.groups().join(invite.code()).join();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class GroupAdmin {
    private final ClientCore core;
    private final ProtocolCodec codec = new ProtocolCodec();

    GroupAdmin(ClientCore core) {
        this.core = core;
    }

    /** Makes a member an admin or a plain member (owner only). */
    public CompletableFuture<Void> setRole(String conversationId, String userId, Role role) {
        Objects.requireNonNull(role, "role");
        return done(id -> new Command.SetRole(id, req(conversationId), req(userId), role));
    }

    /** Makes another member the owner; this user becomes an admin. */
    public CompletableFuture<Void> transferOwnership(String conversationId, String userId) {
        return done(id -> new Command.TransferOwnership(id, req(conversationId), req(userId)));
    }

    public CompletableFuture<Void> removeMember(String conversationId, String userId) {
        return done(id -> new Command.RemoveMember(id, req(conversationId), req(userId)));
    }

    /** Leaves a group (an owner transfers ownership first unless they are the last member). */
    public CompletableFuture<Void> leave(String conversationId) {
        return done(id -> new Command.LeaveGroup(id, req(conversationId)));
    }

    /** Changes name, description or avatar; {@code null} keeps a value, {@code ""} clears description or avatar. */
    public CompletableFuture<Conversation> update(String conversationId, String name, String description,
                                                  String avatar) {
        return core.group(id -> new Command.UpdateGroup(id, req(conversationId), name, description, avatar),
                this::conversation);
    }

    /** Changes permissions and slow mode; {@code null} keeps a value. */
    public CompletableFuture<Conversation> setPermissions(String conversationId, GroupPermission whoCanPost,
                                                          GroupPermission whoCanAdd, GroupPermission infoEditors,
                                                          Integer slowModeSeconds) {
        return core.group(id -> new Command.SetGroupPermissions(id, req(conversationId), whoCanPost, whoCanAdd,
                infoEditors, slowModeSeconds), this::conversation);
    }

    /** Mutes a member for {@code seconds}; completes with the end of the mute. */
    public CompletableFuture<Instant> mute(String conversationId, String userId, long seconds) {
        return core.group(id -> new Command.Mute(id, req(conversationId), req(userId), seconds),
                body -> codec.convert(body.get("mutedUntil"), Instant.class));
    }

    public CompletableFuture<Void> unmute(String conversationId, String userId) {
        return done(id -> new Command.Unmute(id, req(conversationId), req(userId)));
    }

    /** Removes a user and keeps them from being added again or joining. */
    public CompletableFuture<Void> ban(String conversationId, String userId) {
        return done(id -> new Command.Ban(id, req(conversationId), req(userId)));
    }

    public CompletableFuture<Void> unban(String conversationId, String userId) {
        return done(id -> new Command.Unban(id, req(conversationId), req(userId)));
    }

    /** Creates an invite link; {@code null} for no expiry or no use limit. */
    public CompletableFuture<GroupInvite> createInvite(String conversationId, Long expiresInSeconds, Integer maxUses) {
        return core.group(id -> new Command.CreateInvite(id, req(conversationId), expiresInSeconds, maxUses), body -> {
            JsonNode n = body.get("invite");
            return new GroupInvite(n.get("code").asText(), conversationId, null, null,
                    n.hasNonNull("expiresAt") ? codec.convert(n.get("expiresAt"), Instant.class) : null,
                    n.hasNonNull("maxUses") ? n.get("maxUses").asInt() : null, n.path("uses").asInt(), false);
        });
    }

    public CompletableFuture<Void> revokeInvite(String conversationId, String code) {
        return done(id -> new Command.RevokeInvite(id, req(conversationId), req(code)));
    }

    /** Joins a group with an invite code; completes with the group. */
    public CompletableFuture<Conversation> join(String code) {
        return core.group(id -> new Command.JoinGroup(id, req(code)), this::conversation);
    }

    private CompletableFuture<Void> done(java.util.function.LongFunction<Command> command) {
        return core.group(command, body -> null);
    }

    private Conversation conversation(ObjectNode body) {
        return codec.conversation(body.get("conversation"));
    }

    private static String req(String value) {
        return Objects.requireNonNull(value);
    }
}
