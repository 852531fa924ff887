package dev.parley.core.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Wire names of client commands (protocol v1). */
public enum CommandType {
    HELLO("hello"),
    PING("ping"),
    PONG("pong"),
    CONVERSATION_CREATE("conversation.create"),
    CONVERSATION_ADD_MEMBER("conversation.addMember"),
    CONVERSATION_MEMBERS("conversation.members"),
    CONVERSATIONS("conversations"),
    SEND("send"),
    HISTORY("history"),
    TYPING("typing"),
    RECEIPT("receipt"),
    RESUME("resume"),
    PRESENCE("presence"),
    MESSAGE_EDIT("message.edit"),
    MESSAGE_EDITS("message.edits"),
    MESSAGE_DELETE("message.delete"),
    REACTION_ADD("reaction.add"),
    REACTION_REMOVE("reaction.remove"),
    MESSAGE_PIN("message.pin"),
    MESSAGE_UNPIN("message.unpin"),
    GROUP_SET_ROLE("group.setRole"),
    GROUP_TRANSFER_OWNERSHIP("group.transferOwnership"),
    GROUP_REMOVE_MEMBER("group.removeMember"),
    GROUP_LEAVE("group.leave"),
    GROUP_UPDATE("group.update"),
    GROUP_SET_PERMISSIONS("group.setPermissions"),
    GROUP_MUTE("group.mute"),
    GROUP_UNMUTE("group.unmute"),
    GROUP_BAN("group.ban"),
    GROUP_UNBAN("group.unban"),
    GROUP_INVITE_CREATE("group.invite.create"),
    GROUP_INVITE_REVOKE("group.invite.revoke"),
    GROUP_JOIN("group.join"),
    PINS("pins"),
    SEARCH("search"),
    CONVERSATION_SET_EXPIRY("conversation.setExpiry"),
    THREAD_HISTORY("thread.history"),
    THREADS("threads"),
    THREAD_READ("thread.read"),
    GALLERY("gallery");

    private static final Map<String, CommandType> BY_WIRE = new HashMap<>();

    static {
        for (CommandType t : values()) {
            BY_WIRE.put(t.wire, t);
        }
    }

    private final String wire;

    CommandType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<CommandType> fromWire(String wire) {
        return Optional.ofNullable(BY_WIRE.get(wire));
    }
}
