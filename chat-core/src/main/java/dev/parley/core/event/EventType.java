package dev.parley.core.event;

/** Wire names of server-pushed frames (events). */
public enum EventType {
    MESSAGE("message"),
    TYPING("typing"),
    PRESENCE("presence"),
    RECEIPT("receipt"),
    CONVERSATION("conversation"),
    FRIEND("friend"),
    MESSAGE_EDITED("message.edited"),
    MESSAGE_DELETED("message.deleted"),
    MESSAGE_HIDDEN("message.hidden"),
    REACTION("reaction"),
    PIN("pin"),
    MESSAGE_EXPIRED("message.expired"),
    CONVERSATION_EXPIRY("conversation.expiry"),
    THREAD("thread"),
    THREAD_READ("thread.read"),
    /** Application-level heartbeat; the client answers {@code {"type":"pong"}}. Not a {@link ChatEvent}. */
    PING("ping");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static java.util.Optional<EventType> fromWire(String wire) {
        for (EventType t : values()) {
            if (t.wire.equals(wire)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
