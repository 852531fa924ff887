package dev.parley.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.Conversation;
import dev.parley.core.Member;
import dev.parley.core.protocol.Command;
import dev.parley.core.protocol.ProtocolCodec;
import java.time.Instant;
import java.util.List;

/** The {@code group.*} commands: each one {@link ChatEngine} call, its result encoded. */
final class GroupCommands {
    private final ChatEngine engine;
    private final ProtocolCodec codec;

    GroupCommands(ChatEngine engine, ProtocolCodec codec) {
        this.engine = engine;
        this.codec = codec;
    }

    /** The reply to a {@code group.*} command. */
    ObjectNode dispatch(String caller, Command command) {
        ObjectNode reply = codec.ok(command.id());
        switch (command.type()) {
            case GROUP_SET_ROLE -> {
                Command.SetRole c = (Command.SetRole) command;
                engine.setRole(caller, c.conversationId(), c.userId(), c.role());
            }
            case GROUP_TRANSFER_OWNERSHIP -> {
                Command.TransferOwnership c = (Command.TransferOwnership) command;
                engine.transferOwnership(caller, c.conversationId(), c.userId());
            }
            case GROUP_REMOVE_MEMBER -> {
                Command.RemoveMember c = (Command.RemoveMember) command;
                engine.removeMember(caller, c.conversationId(), c.userId());
            }
            case GROUP_LEAVE -> engine.leaveGroup(caller, ((Command.LeaveGroup) command).conversationId());
            case GROUP_UPDATE -> {
                Command.UpdateGroup c = (Command.UpdateGroup) command;
                conversation(reply, caller, engine.updateGroup(caller, c.conversationId(), c.name(), c.description(),
                        c.avatar()));
            }
            case GROUP_SET_PERMISSIONS -> {
                Command.SetGroupPermissions c = (Command.SetGroupPermissions) command;
                conversation(reply, caller, engine.setGroupPermissions(caller, c.conversationId(), c.whoCanPost(),
                        c.whoCanAdd(), c.infoEditors(), c.slowModeSeconds()));
            }
            case GROUP_MUTE -> {
                Command.Mute c = (Command.Mute) command;
                Instant until = engine.mute(caller, c.conversationId(), c.userId(), c.seconds());
                reply.put("mutedUntil", ProtocolCodec.TIME.format(until));
            }
            case GROUP_UNMUTE -> {
                Command.Unmute c = (Command.Unmute) command;
                engine.unmute(caller, c.conversationId(), c.userId());
            }
            case GROUP_BAN -> {
                Command.Ban c = (Command.Ban) command;
                engine.ban(caller, c.conversationId(), c.userId());
            }
            case GROUP_UNBAN -> {
                Command.Unban c = (Command.Unban) command;
                engine.unban(caller, c.conversationId(), c.userId());
            }
            case GROUP_INVITE_CREATE -> {
                Command.CreateInvite c = (Command.CreateInvite) command;
                reply.set("invite", codec.tree(engine.createInvite(caller, c.conversationId(), c.expiresInSeconds(),
                        c.maxUses())));
            }
            case GROUP_INVITE_REVOKE -> {
                Command.RevokeInvite c = (Command.RevokeInvite) command;
                engine.revokeInvite(caller, c.conversationId(), c.code());
            }
            case GROUP_JOIN -> conversation(reply, caller, engine.join(caller, ((Command.JoinGroup) command).code()));
            default -> throw new IllegalArgumentException("not a group command: " + command.type());
        }
        return reply;
    }

    private void conversation(ObjectNode reply, String caller, Conversation c) {
        List<String> memberIds = engine.members(caller, c.id()).stream().map(Member::userId).toList();
        reply.set("conversation", codec.conversation(c, memberIds));
    }
}
