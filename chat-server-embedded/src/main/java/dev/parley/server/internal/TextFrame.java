package dev.parley.server.internal;

import java.nio.charset.StandardCharsets;

/**
 * One outgoing text frame's content, encoded to UTF-8 at most once however many sockets it
 * goes to: a broadcast is encoded to JSON once ({@link SocketHub#deliver}) and, on the Jetty
 * core transport, to bytes once. Immutable once its bytes are computed; safe to share.
 */
public final class TextFrame {
    private final String text;
    private volatile byte[] utf8;

    public TextFrame(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The UTF-8 bytes, computed on first use (a race computes equal arrays); never modify them. */
    byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return text;
    }
}
