package dev.parley.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of RFC 6455 framing, just what the load generator needs: masked client
 * frames (text, pong, close), the handshake key and its expected accept value, and an
 * incremental {@link Parser} of unmasked server frames that joins fragmented text messages
 * and hands control frames (ping, close) over as they come, also between fragments.
 */
final class WsFrames {
    static final int TEXT = 0x1;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WsFrames() {
    }

    /** A fresh random {@code Sec-WebSocket-Key} (16 random bytes, Base64). */
    static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} value a server must answer to {@code key}. */
    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** A final, masked client frame with a random mask. */
    static byte[] clientFrame(int opcode, byte[] payload) {
        return clientFrame(opcode, payload, ThreadLocalRandom.current().nextInt());
    }

    /** A final, masked client frame with the given 32-bit mask (big-endian bytes). */
    static byte[] clientFrame(int opcode, byte[] payload, int mask) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] out = new byte[header + 4 + n];
        out[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            out[1] = (byte) (0x80 | n);
        } else if (n <= 0xFFFF) {
            out[1] = (byte) (0x80 | 126);
            out[2] = (byte) (n >>> 8);
            out[3] = (byte) n;
        } else {
            out[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(m, 0, out, header, 4);
        for (int i = 0; i < n; i++) {
            out[header + 4 + i] = (byte) (payload[i] ^ m[i & 3]);
        }
        return out;
    }

    static byte[] text(String s) {
        return clientFrame(TEXT, s.getBytes(StandardCharsets.UTF_8));
    }

    /** What the parser found in the bytes it was given. */
    interface Handler {
        /** A whole text message (all its fragments joined). */
        void onText(String text);

        /** A ping control frame; the caller answers with a pong carrying the same payload. */
        void onPing(byte[] payload);

        /** A close frame; {@code code} is 1005 when the frame carries none. */
        void onClose(int code, String reason);
    }

    /** Thrown for bytes that are not a valid server frame stream. */
    static final class ProtocolError extends Exception {
        ProtocolError(String message) {
            super(message);
        }
    }

    /**
     * Incremental parser of server frames: {@link #feed} takes whatever bytes arrived (the
     * buffer in read mode), consumes every whole frame and leaves a partial frame's bytes in
     * the buffer for the next call.
     */
    static final class Parser {
        private final int maxMessageBytes;
        private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();
        private boolean inFragmentedText;

        Parser(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        void feed(ByteBuffer in, Handler handler) throws ProtocolError {
            while (true) {
                int start = in.position();
                if (in.remaining() < 2) {
                    return;
                }
                int b0 = in.get(start) & 0xFF;
                int b1 = in.get(start + 1) & 0xFF;
                if ((b1 & 0x80) != 0) {
                    throw new ProtocolError("server frames must not be masked");
                }
                if ((b0 & 0x70) != 0) {
                    throw new ProtocolError("reserved bits set without an extension");
                }
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                int len7 = b1 & 0x7F;
                int headerLength = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
                if (in.remaining() < headerLength) {
                    return;
                }
                long length;
                if (len7 < 126) {
                    length = len7;
                } else if (len7 == 126) {
                    length = ((in.get(start + 2) & 0xFF) << 8) | (in.get(start + 3) & 0xFF);
                } else {
                    length = in.getLong(start + 2);
                }
                if (length < 0 || length > maxMessageBytes) {
                    throw new ProtocolError("frame of " + length + " bytes is over " + maxMessageBytes);
                }
                if (in.remaining() < headerLength + length) {
                    return;
                }
                byte[] payload = new byte[(int) length];
                in.position(start + headerLength);
                in.get(payload);
                switch (opcode) {
                    case TEXT -> {
                        if (inFragmentedText) {
                            throw new ProtocolError("a new text frame inside a fragmented message");
                        }
                        if (fin) {
                            handler.onText(new String(payload, StandardCharsets.UTF_8));
                        } else {
                            inFragmentedText = true;
                            fragments.reset();
                            fragments.writeBytes(payload);
                        }
                    }
                    case CONTINUATION -> {
                        if (!inFragmentedText) {
                            throw new ProtocolError("a continuation frame with no message to continue");
                        }
                        if (fragments.size() + payload.length > maxMessageBytes) {
                            throw new ProtocolError("message over " + maxMessageBytes + " bytes");
                        }
                        fragments.writeBytes(payload);
                        if (fin) {
                            inFragmentedText = false;
                            handler.onText(fragments.toString(StandardCharsets.UTF_8));
                            fragments.reset();
                        }
                    }
                    case PING, PONG, CLOSE -> {
                        if (!fin || length > 125) {
                            throw new ProtocolError("control frames must be final and at most 125 bytes");
                        }
                        if (opcode == PING) {
                            handler.onPing(payload);
                        } else if (opcode == CLOSE) {
                            int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                            String reason = payload.length > 2
                                    ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                            handler.onClose(code, reason);
                        }
                    }
                    default -> throw new ProtocolError("unexpected opcode " + opcode);
                }
            }
        }
    }
}
