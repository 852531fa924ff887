package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineIoTest {

    @Test
    void openPacketCarriesTheHandshakeJson() throws Exception {
        EngineIo.Packet p = EngineIo.decode("0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000,"
                + "\"pingTimeout\":20000,\"maxPayload\":1000000}");
        assertEquals(EngineIo.Type.OPEN, p.type());
        assertNull(p.socketType());
        assertTrue(p.data().startsWith("{\"sid\":\"lv_VI97HAXpY6yYWAAAC\""));
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        EngineIo.Packet p = EngineIo.decode("2");
        assertEquals(EngineIo.Type.PING, p.type());
        assertEquals("", p.data());
        assertEquals("3", EngineIo.pong());
        assertEquals(EngineIo.Type.PONG, EngineIo.decode(EngineIo.pong()).type());
    }

    @Test
    void connectToTheMainNamespaceSendsTheAuthObject() throws Exception {
        assertEquals("40", EngineIo.connect(null));
        assertEquals("40{\"token\":\"dev:u1\"}", EngineIo.connect("{\"token\":\"dev:u1\"}"));
        EngineIo.Packet reply = EngineIo.decode("40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}");
        assertEquals(EngineIo.Type.MESSAGE, reply.type());
        assertEquals(EngineIo.SocketType.CONNECT, reply.socketType());
        assertEquals("/", reply.namespace());
        assertEquals(-1, reply.ackId());
        assertEquals("{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", reply.data());
    }

    @Test
    void eventsAreEncodedWithAndWithoutAnAckId() {
        assertEquals("42[\"join\",\"r1\"]", EngineIo.event("join", "\"r1\"", -1));
        assertEquals("4212[\"send\",{\"conversationId\":\"r1\"}]", EngineIo.event("send", "{\"conversationId\":\"r1\"}", 12));
        assertEquals("420[\"hello\"]", EngineIo.event("hello", "", 0));
    }

    @Test
    void anEventNameThatNeedsEscapingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EngineIo.event("a\"b", "", -1));
        assertThrows(IllegalArgumentException.class, () -> EngineIo.event("a\\b", "", -1));
    }

    @Test
    void anEventDecodesToItsNameAndArguments() throws Exception {
        EngineIo.Packet p = EngineIo.decode("42[\"message\",{\"id\":\"m1\",\"body\":{\"text\":\"b 3 99\"}}]");
        assertEquals(EngineIo.SocketType.EVENT, p.socketType());
        assertEquals(-1, p.ackId());
        assertEquals("message", EngineIo.eventName(p.data()));
        assertEquals("[\"message\",{\"id\":\"m1\",\"body\":{\"text\":\"b 3 99\"}}]", p.data());
    }

    @Test
    void anAckCarriesItsIdAndData() throws Exception {
        EngineIo.Packet p = EngineIo.decode("431099511627776[{\"ok\":true}]");
        assertEquals(EngineIo.SocketType.ACK, p.socketType());
        assertEquals(1L << 40, p.ackId());
        assertEquals("[{\"ok\":true}]", p.data());
    }

    @Test
    void aNamedNamespaceIsReadBeforeTheAckId() throws Exception {
        EngineIo.Packet p = EngineIo.decode("42/chat,7[\"x\",1]");
        assertEquals("/chat", p.namespace());
        assertEquals(7, p.ackId());
        assertEquals("[\"x\",1]", p.data());
        EngineIo.Packet error = EngineIo.decode("44/admin,{\"message\":\"unauthenticated\"}");
        assertEquals(EngineIo.SocketType.CONNECT_ERROR, error.socketType());
        assertEquals("/admin", error.namespace());
        assertEquals("{\"message\":\"unauthenticated\"}", error.data());
    }

    @Test
    void disconnectAndCloseAreRecognised() throws Exception {
        assertEquals(EngineIo.SocketType.DISCONNECT, EngineIo.decode("41").socketType());
        assertEquals(EngineIo.Type.CLOSE, EngineIo.decode("1").type());
        assertEquals(EngineIo.Type.NOOP, EngineIo.decode("6").type());
    }

    @Test
    void eventNameIsNullWhenTheDataIsNotANamedEvent() {
        assertNull(EngineIo.eventName("{\"a\":1}"));
        assertNull(EngineIo.eventName("[1,2]"));
        assertNull(EngineIo.eventName("[\"unterminated"));
        assertNull(EngineIo.eventName("[\"a\\\"b\",1]"));
    }

    @Test
    void malformedPacketsAreRefusedWithAReason() {
        assertEquals("empty Engine.IO packet",
                assertThrows(EngineIo.MalformedPacket.class, () -> EngineIo.decode("")).getMessage());
        assertTrue(assertThrows(EngineIo.MalformedPacket.class, () -> EngineIo.decode("9"))
                .getMessage().contains("unknown Engine.IO packet type '9'"));
        assertTrue(assertThrows(EngineIo.MalformedPacket.class, () -> EngineIo.decode("x"))
                .getMessage().contains("unknown Engine.IO packet type"));
        assertTrue(assertThrows(EngineIo.MalformedPacket.class, () -> EngineIo.decode("4"))
                .getMessage().contains("without a Socket.IO packet type"));
        assertTrue(assertThrows(EngineIo.MalformedPacket.class, () -> EngineIo.decode("47"))
                .getMessage().contains("unknown Socket.IO packet type '7'"));
        assertTrue(assertThrows(EngineIo.MalformedPacket.class, () -> EngineIo.decode("451-[\"bin\",{}]"))
                .getMessage().contains("binary"));
        assertTrue(assertThrows(EngineIo.MalformedPacket.class, () -> EngineIo.decode("42/chat[\"x\"]"))
                .getMessage().contains("namespace without its closing comma"));
        assertTrue(assertThrows(EngineIo.MalformedPacket.class, () -> EngineIo.decode("4312345678901234567890[]"))
                .getMessage().contains("ack id too long"));
    }
}
