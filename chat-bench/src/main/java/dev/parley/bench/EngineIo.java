package dev.parley.bench;

/**
 * The text packets of Engine.IO v4 and Socket.IO v5 (the protocols of Socket.IO 4) as the load
 * generator speaks them over the WebSocket-only transport
 * ({@code /socket.io/?EIO=4&transport=websocket}): one packet per WebSocket text frame.
 *
 * <p>An Engine.IO packet is a type digit and its data: {@code 0} open (JSON handshake),
 * {@code 1} close, {@code 2} ping, {@code 3} pong, {@code 4} message, {@code 6} noop. A message
 * carries a Socket.IO packet: a type digit ({@code 0} connect, {@code 1} disconnect,
 * {@code 2} event, {@code 3} ack, {@code 4} connect error), an optional namespace ending in a
 * comma ({@code /chat,}; the main namespace {@code /} is left out), an optional ack id, and the
 * JSON data. Examples: {@code 40{"token":"dev:u1"}} connects to {@code /} with auth data,
 * {@code 4217["send",{…}]} emits {@code send} asking for ack 17, {@code 4317[{…}]} acks it.
 * Binary packets ({@code 5}, {@code 6}) are not used here and are refused.
 */
final class EngineIo {
    /** The WebSocket path and query of the Socket.IO endpoint at its default path. */
    static final String PATH = "/socket.io/?EIO=4&transport=websocket";

    /** Engine.IO packet types. */
    enum Type { OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP }

    /** Socket.IO packet types (inside an Engine.IO message); binary event/ack are refused. */
    enum SocketType { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR }

    /**
     * One decoded packet. For an Engine.IO packet other than {@link Type#MESSAGE},
     * {@code socketType} and {@code namespace} are null, {@code ackId} is -1 and {@code data} is
     * what follows the type digit (the handshake JSON of {@code open}, usually empty otherwise).
     * For a message, {@code namespace} is {@code "/"} unless the packet names another,
     * {@code ackId} is -1 when absent and {@code data} is the JSON (or empty).
     */
    record Packet(Type type, SocketType socketType, String namespace, long ackId, String data) {
    }

    /** A text frame that is not a valid Engine.IO v4 / Socket.IO v5 text packet. */
    static final class MalformedPacket extends Exception {
        MalformedPacket(String message) {
            super(message);
        }
    }

    private EngineIo() {
    }

    /**
     * Decodes one text frame.
     *
     * @throws MalformedPacket for an empty frame, an unknown or binary type, a namespace without
     *     its comma, or an ack id that is not a number that fits a {@code long}
     */
    static Packet decode(String frame) throws MalformedPacket {
        if (frame.isEmpty()) {
            throw new MalformedPacket("empty Engine.IO packet");
        }
        int t = frame.charAt(0) - '0';
        if (t < 0 || t >= Type.values().length) {
            throw new MalformedPacket("unknown Engine.IO packet type '" + frame.charAt(0) + "'");
        }
        Type type = Type.values()[t];
        if (type != Type.MESSAGE) {
            return new Packet(type, null, null, -1, frame.substring(1));
        }
        if (frame.length() < 2) {
            throw new MalformedPacket("Engine.IO message without a Socket.IO packet type");
        }
        int s = frame.charAt(1) - '0';
        if (s < 0 || s > 6) {
            throw new MalformedPacket("unknown Socket.IO packet type '" + frame.charAt(1) + "'");
        }
        if (s >= SocketType.values().length) {
            throw new MalformedPacket("binary Socket.IO packets (type " + s + ") are not supported");
        }
        SocketType socketType = SocketType.values()[s];
        int i = 2;
        String namespace = "/";
        if (i < frame.length() && frame.charAt(i) == '/') {
            int comma = frame.indexOf(',', i);
            if (comma < 0) {
                throw new MalformedPacket("namespace without its closing comma: " + abbreviate(frame));
            }
            namespace = frame.substring(i, comma);
            i = comma + 1;
        }
        int digits = i;
        while (digits < frame.length() && Character.isDigit(frame.charAt(digits))) {
            digits++;
        }
        long ackId = -1;
        if (digits > i) {
            if (digits - i > 18) {
                throw new MalformedPacket("ack id too long: " + abbreviate(frame));
            }
            ackId = Long.parseLong(frame, i, digits, 10);
        }
        return new Packet(type, socketType, namespace, ackId, frame.substring(digits));
    }

    /** {@code 3}: the answer to the server's ping {@code 2}. */
    static String pong() {
        return "3";
    }

    /** {@code 40} + auth JSON: connect to the main namespace with {@code auth} (may be null). */
    static String connect(String authJson) {
        return authJson == null ? "40" : "40" + authJson;
    }

    /**
     * {@code 42[<event name>,<args…>]}, with the ack id after {@code 42} when {@code ackId >= 0}.
     *
     * @param argsJson the event's arguments as JSON values separated by commas (may be empty)
     * @throws IllegalArgumentException when the event name needs JSON escaping (we never send one)
     */
    static String event(String name, String argsJson, long ackId) {
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c == '"' || c == '\\' || c < 0x20) {
                throw new IllegalArgumentException("event name needs escaping: " + name);
            }
        }
        StringBuilder b = new StringBuilder(name.length() + argsJson.length() + 24).append("42");
        if (ackId >= 0) {
            b.append(ackId);
        }
        b.append("[\"").append(name).append('"');
        if (!argsJson.isEmpty()) {
            b.append(',').append(argsJson);
        }
        return b.append(']').toString();
    }

    /**
     * The event name of an {@link SocketType#EVENT} packet's data ({@code ["name",…]}), or null
     * when the data does not start with a plain string.
     */
    static String eventName(String data) {
        if (!data.startsWith("[\"")) {
            return null;
        }
        int end = data.indexOf('"', 2);
        if (end < 0 || data.lastIndexOf('\\', end) > 1) {
            return null;
        }
        return data.substring(2, end);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
