package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WsFramesTest {
    private final List<String> events = new ArrayList<>();
    private final WsFrames.Handler handler = new WsFrames.Handler() {
        @Override
        public void onText(String text) {
            events.add("text:" + text);
        }

        @Override
        public void onPing(byte[] payload) {
            events.add("ping:" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }
    };

    private static byte[] serverFrame(boolean fin, int opcode, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(payload.length + 10);
        b.put((byte) ((fin ? 0x80 : 0) | opcode));
        if (payload.length < 126) {
            b.put((byte) payload.length);
        } else {
            b.put((byte) 126).putShort((short) payload.length);
        }
        b.put(payload);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void clientFramesAreMaskedWithTheGivenKeyAndCarryTheLength() {
        byte[] frame = WsFrames.clientFrame(WsFrames.TEXT, utf8("Hi!"), 0x01020304);
        assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0x83, 1, 2, 3, 4, 'H' ^ 1, 'i' ^ 2, '!' ^ 3}, frame);
        byte[] big = WsFrames.clientFrame(WsFrames.TEXT, new byte[300], 0);
        assertEquals((byte) (0x80 | 126), big[1]);
        assertEquals(300, ((big[2] & 0xFF) << 8) | (big[3] & 0xFF));
        assertEquals(2 + 2 + 4 + 300, big.length);
    }

    @Test
    void acceptValueIsTheOneFromRfc6455() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WsFrames.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void fragmentedTextIsJoinedAndAPingBetweenFragmentsIsHandedOverFirst() throws Exception {
        WsFrames.Parser parser = new WsFrames.Parser(1 << 16);
        ByteBuffer in = ByteBuffer.allocate(1024);
        in.put(serverFrame(false, WsFrames.TEXT, utf8("{\"a\":")));
        in.put(serverFrame(true, WsFrames.PING, utf8("p1")));
        in.put(serverFrame(false, WsFrames.CONTINUATION, utf8("\"é")));
        in.put(serverFrame(true, WsFrames.CONTINUATION, utf8("\"}")));
        in.put(serverFrame(true, WsFrames.TEXT, utf8("x")));
        in.flip();
        parser.feed(in, handler);
        assertEquals(List.of("ping:p1", "text:{\"a\":\"é\"}", "text:x"), events);
    }

    @Test
    void aFrameSplitAcrossReadsIsParsedWhenItsLastByteArrives() throws Exception {
        WsFrames.Parser parser = new WsFrames.Parser(1 << 16);
        byte[] frame = serverFrame(true, WsFrames.TEXT, new byte[200]);
        ByteBuffer in = ByteBuffer.allocate(1024);
        for (int i = 0; i < frame.length; i++) {
            in.put(frame[i]);
            in.flip();
            parser.feed(in, handler);
            in.compact();
            assertEquals(i == frame.length - 1 ? 1 : 0, events.size(), "after byte " + i);
        }
    }

    @Test
    void closeCarriesItsCodeAndReason() throws Exception {
        WsFrames.Parser parser = new WsFrames.Parser(1 << 16);
        ByteBuffer in = ByteBuffer.wrap(serverFrame(true, WsFrames.CLOSE, new byte[] {0x11, 0x31, 'b', 'y', 'e'}));
        parser.feed(in, handler);
        assertEquals(List.of("close:4401:bye"), events);
    }

    @Test
    void maskedServerFramesAndStrayContinuationsAreProtocolErrors() {
        WsFrames.Parser parser = new WsFrames.Parser(1 << 16);
        assertThrows(WsFrames.ProtocolError.class,
                () -> parser.feed(ByteBuffer.wrap(WsFrames.clientFrame(WsFrames.TEXT, utf8("x"), 7)), handler));
        assertThrows(WsFrames.ProtocolError.class, () -> new WsFrames.Parser(1 << 16)
                .feed(ByteBuffer.wrap(serverFrame(true, WsFrames.CONTINUATION, utf8("x"))), handler));
        assertThrows(WsFrames.ProtocolError.class, () -> new WsFrames.Parser(10)
                .feed(ByteBuffer.wrap(serverFrame(true, WsFrames.TEXT, new byte[11])), handler));
    }
}
