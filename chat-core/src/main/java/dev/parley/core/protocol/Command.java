package dev.parley.core.protocol;

import dev.parley.core.CursorKind;
import dev.parley.core.DeleteScope;
import dev.parley.core.GroupPermission;
import dev.parley.core.MessageBody;
import dev.parley.core.Role;
import dev.parley.core.event.TypingState;
import java.util.List;
import java.util.Map;

/**
 * A decoded client command. {@code id} is the client's correlation id (a {@code String},
 * a {@code Long}, or {@code null} for fire-and-forget); the other components are the
 * command's wire fields, {@code null} when absent and optional.
 */
public sealed interface Command {

    Object id();

    CommandType type();

    /** {@code hello}: authenticate the socket. */
    record Hello(Object id, String token, String clientName, String clientVersion) implements Command {
        public CommandType type() {
            return CommandType.HELLO;
        }
    }

    /** {@code ping}: the client checks the server is alive; replied {@code ok}. */
    record Ping(Object id) implements Command {
        public CommandType type() {
            return CommandType.PING;
        }
    }

    /** {@code pong}: answer to the server's ping; never replied. */
    record Pong(Object id) implements Command {
        public CommandType type() {
            return CommandType.PONG;
        }
    }

    /** {@code conversation.create}: {@code kind} is {@code direct} (with userId) or {@code group} (name, memberIds). */
    record CreateConversation(Object id, String kind, String userId, String name, List<String> memberIds)
            implements Command {
        public CommandType type() {
            return CommandType.CONVERSATION_CREATE;
        }
    }

    /** {@code conversation.addMember}: add a user to a group. */
    record AddMember(Object id, String conversationId, String userId) implements Command {
        public CommandType type() {
            return CommandType.CONVERSATION_ADD_MEMBER;
        }
    }

    /** {@code conversation.members}: members with roles and cursors. */
    record Members(Object id, String conversationId) implements Command {
        public CommandType type() {
            return CommandType.CONVERSATION_MEMBERS;
        }
    }

    /** {@code conversations}: the caller's conversations, paged. */
    record ListConversations(Object id, Integer limit, String cursor) implements Command {
        public CommandType type() {
            return CommandType.CONVERSATIONS;
        }
    }

    /** {@code send}: post a message. */
    record Send(Object id, String conversationId, String clientMsgId, MessageBody body, String replyTo,
                Integer ttlSeconds, List<String> mentions, String threadRootId) implements Command {
        /** A send outside any thread. */
        public Send(Object id, String conversationId, String clientMsgId, MessageBody body, String replyTo,
                    Integer ttlSeconds, List<String> mentions) {
            this(id, conversationId, clientMsgId, body, replyTo, ttlSeconds, mentions, null);
        }

        /** A send without mentions. */
        public Send(Object id, String conversationId, String clientMsgId, MessageBody body, String replyTo,
                    Integer ttlSeconds) {
            this(id, conversationId, clientMsgId, body, replyTo, ttlSeconds, null);
        }

        /** A send without a time to live. */
        public Send(Object id, String conversationId, String clientMsgId, MessageBody body, String replyTo) {
            this(id, conversationId, clientMsgId, body, replyTo, null);
        }

        public CommandType type() {
            return CommandType.SEND;
        }
    }

    /** {@code history}: a page of messages. */
    record History(Object id, String conversationId, Long beforeSeq, Long afterSeq, Integer limit)
            implements Command {
        public CommandType type() {
            return CommandType.HISTORY;
        }
    }

    /** {@code typing}: start or stop; fire-and-forget allowed. */
    record Typing(Object id, String conversationId, TypingState state) implements Command {
        public CommandType type() {
            return CommandType.TYPING;
        }
    }

    /** {@code receipt}: move the delivered or read cursor; fire-and-forget allowed. */
    record Receipt(Object id, String conversationId, CursorKind kind, long seq) implements Command {
        public CommandType type() {
            return CommandType.RECEIPT;
        }
    }

    /** {@code resume}: replay what was missed since the given seqs. */
    record Resume(Object id, Map<String, Long> conversations, Integer maxPerConversation) implements Command {
        public CommandType type() {
            return CommandType.RESUME;
        }
    }

    /** {@code presence}: current status of some users. */
    record Presence(Object id, List<String> userIds) implements Command {
        public CommandType type() {
            return CommandType.PRESENCE;
        }
    }

    /** {@code message.edit}: replace the text of an own message. */
    record EditMessage(Object id, String conversationId, String messageId, MessageBody body) implements Command {
        public CommandType type() {
            return CommandType.MESSAGE_EDIT;
        }
    }

    /** {@code message.edits}: the edit history of a message. */
    record MessageEdits(Object id, String conversationId, String messageId) implements Command {
        public CommandType type() {
            return CommandType.MESSAGE_EDITS;
        }
    }

    /** {@code message.delete}: delete for everyone or hide for the caller. */
    record DeleteMessage(Object id, String conversationId, String messageId, DeleteScope scope) implements Command {
        public CommandType type() {
            return CommandType.MESSAGE_DELETE;
        }
    }

    /** {@code reaction.add}: react to a message with an emoji. */
    record AddReaction(Object id, String conversationId, String messageId, String emoji) implements Command {
        public CommandType type() {
            return CommandType.REACTION_ADD;
        }
    }

    /** {@code reaction.remove}: take an own reaction back. */
    record RemoveReaction(Object id, String conversationId, String messageId, String emoji) implements Command {
        public CommandType type() {
            return CommandType.REACTION_REMOVE;
        }
    }

    /** {@code message.pin}: pin a message in its conversation. */
    record PinMessage(Object id, String conversationId, String messageId) implements Command {
        public CommandType type() {
            return CommandType.MESSAGE_PIN;
        }
    }

    /** {@code message.unpin}: unpin a message. */
    record UnpinMessage(Object id, String conversationId, String messageId) implements Command {
        public CommandType type() {
            return CommandType.MESSAGE_UNPIN;
        }
    }

    // ------------------------------------------------------------------ group administration (since 0.4)

    /** {@code group.setRole}: make a member an admin or a plain member (owner only). */
    record SetRole(Object id, String conversationId, String userId, Role role) implements Command {
        public CommandType type() {
            return CommandType.GROUP_SET_ROLE;
        }
    }

    /** {@code group.transferOwnership}: make another member the owner. */
    record TransferOwnership(Object id, String conversationId, String userId) implements Command {
        public CommandType type() {
            return CommandType.GROUP_TRANSFER_OWNERSHIP;
        }
    }

    /** {@code group.removeMember}: remove a member from a group. */
    record RemoveMember(Object id, String conversationId, String userId) implements Command {
        public CommandType type() {
            return CommandType.GROUP_REMOVE_MEMBER;
        }
    }

    /** {@code group.leave}: leave a group. */
    record LeaveGroup(Object id, String conversationId) implements Command {
        public CommandType type() {
            return CommandType.GROUP_LEAVE;
        }
    }

    /** {@code group.update}: change name, description or avatar. */
    record UpdateGroup(Object id, String conversationId, String name, String description, String avatar)
            implements Command {
        public CommandType type() {
            return CommandType.GROUP_UPDATE;
        }
    }

    /** {@code group.setPermissions}: who may post, add members and edit the info; slow mode. */
    record SetGroupPermissions(Object id, String conversationId, GroupPermission whoCanPost,
                               GroupPermission whoCanAdd, GroupPermission infoEditors, Integer slowModeSeconds)
            implements Command {
        public CommandType type() {
            return CommandType.GROUP_SET_PERMISSIONS;
        }
    }

    /** {@code group.mute}: mute a member for some seconds. */
    record Mute(Object id, String conversationId, String userId, Long seconds) implements Command {
        public CommandType type() {
            return CommandType.GROUP_MUTE;
        }
    }

    /** {@code group.unmute}: end a mute. */
    record Unmute(Object id, String conversationId, String userId) implements Command {
        public CommandType type() {
            return CommandType.GROUP_UNMUTE;
        }
    }

    /** {@code group.ban}: remove a user and keep them out. */
    record Ban(Object id, String conversationId, String userId) implements Command {
        public CommandType type() {
            return CommandType.GROUP_BAN;
        }
    }

    /** {@code group.unban}: lift a ban. */
    record Unban(Object id, String conversationId, String userId) implements Command {
        public CommandType type() {
            return CommandType.GROUP_UNBAN;
        }
    }

    /** {@code group.invite.create}: create an invite link. */
    record CreateInvite(Object id, String conversationId, Long expiresInSeconds, Integer maxUses)
            implements Command {
        public CommandType type() {
            return CommandType.GROUP_INVITE_CREATE;
        }
    }

    /** {@code group.invite.revoke}: revoke an invite link. */
    record RevokeInvite(Object id, String conversationId, String code) implements Command {
        public CommandType type() {
            return CommandType.GROUP_INVITE_REVOKE;
        }
    }

    /** {@code group.join}: join a group with an invite code. */
    record JoinGroup(Object id, String code) implements Command {
        public CommandType type() {
            return CommandType.GROUP_JOIN;
        }
    }

    /** {@code pins}: the pinned messages of a conversation. */
    record Pins(Object id, String conversationId) implements Command {
        public CommandType type() {
            return CommandType.PINS;
        }
    }

    /** {@code search}: full-text search over the caller's conversations (since 0.2). */
    record Search(Object id, String query, String conversationId, String senderId, java.time.Instant after,
                  java.time.Instant before, Boolean hasAttachment, Integer limit, String cursor) implements Command {
        public CommandType type() {
            return CommandType.SEARCH;
        }
    }

    /** {@code conversation.setExpiry}: set the disappearing-messages timer (since 0.2). */
    record SetExpiry(Object id, String conversationId, Long seconds) implements Command {
        public CommandType type() {
            return CommandType.CONVERSATION_SET_EXPIRY;
        }
    }

    /** {@code thread.history}: a page of a thread's replies, with its root and the caller's thread cursor. */
    record ThreadHistory(Object id, String conversationId, String rootId, Long beforeSeq, Long afterSeq,
                         Integer limit) implements Command {
        public CommandType type() {
            return CommandType.THREAD_HISTORY;
        }
    }

    /** {@code threads}: the conversation's threads, newest reply first. */
    record Threads(Object id, String conversationId, Long beforeLastReplySeq, Integer limit) implements Command {
        public CommandType type() {
            return CommandType.THREADS;
        }
    }

    /** {@code thread.read}: move the caller's thread read cursor forward. */
    record ThreadRead(Object id, String conversationId, String rootId, Long seq) implements Command {
        public CommandType type() {
            return CommandType.THREAD_READ;
        }
    }

    /** {@code gallery}: a conversation's attachments of one kind, newest first. */
    record Gallery(Object id, String conversationId, String kind, Long beforeSeq, Integer limit) implements Command {
        public CommandType type() {
            return CommandType.GALLERY;
        }
    }
}
