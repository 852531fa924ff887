package dev.parley.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationKind;
import dev.parley.core.CursorKind;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.ChatEvent.TypingEvent;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.event.TypingState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolCodecTest {
    private final ProtocolCodec codec = new ProtocolCodec();
    private final Message message = new Message("01J", "c1", 7, "alice", "cm-1", new MessageBody("héllo \"x\""),
            null, Instant.parse("2026-11-23T10:15:30Z"), null, false);

    @Test
    void decodesASendCommand() {
        Command c = codec.decodeCommand("{\"id\":7,\"type\":\"send\",\"conversationId\":\"c1\",\"clientMsgId\":\"m1\","
                + "\"body\":{\"text\":\"hi\"},\"extra\":{\"ignored\":true}}");
        assertThat(c).isEqualTo(new Command.Send(7L, "c1", "m1", new MessageBody("hi"), null));
    }

    @Test
    void stringIdsAreKept() {
        assertThat(codec.decodeCommand("{\"id\":\"abc\",\"type\":\"ping\"}").id()).isEqualTo("abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "42", "{\"id\":1}", "{\"id\":1,\"type\":5}", "{\"id\":1.5,\"type\":\"ping\"}",
            "{\"id\":{},\"type\":\"ping\"}", "{\"id\":1,\"type\":\"send\",\"conversationId\":3,\"clientMsgId\":\"m\"}",
            "{\"id\":1,\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\",\"body\":\"text\"}",
            "{\"id\":1,\"type\":\"receipt\",\"conversationId\":\"c\",\"kind\":\"seen\",\"seq\":1}",
            "{\"id\":1,\"type\":\"receipt\",\"conversationId\":\"c\",\"kind\":\"read\"}",
            "{\"id\":1,\"type\":\"history\",\"conversationId\":\"c\",\"limit\":\"ten\"}",
            "{\"id\":1,\"type\":\"resume\",\"conversations\":{\"c\":\"x\"}}",
            "{\"id\":1,\"type\":\"typing\",\"conversationId\":\"c\",\"state\":\"maybe\"}"})
    void malformedFramesAreBadRequests(String frame) {
        assertThatThrownBy(() -> codec.decodeCommand(frame))
                .isInstanceOf(ProtocolException.class).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void badFieldErrorKeepsTheIdAndNamesTheField() {
        assertThatThrownBy(() -> codec.decodeCommand("{\"id\":9,\"type\":\"history\",\"conversationId\":\"c\",\"beforeSeq\":\"x\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.commandId()).isEqualTo(9L);
                    assertThat(e.getMessage()).contains("beforeSeq");
                });
    }

    @Test
    void unknownTypeIsUnsupported() {
        assertThatThrownBy(() -> codec.decodeCommand("{\"id\":3,\"type\":\"teleport\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
                    assertThat(e.commandId()).isEqualTo(3L);
                });
    }

    @Test
    void deeplyNestedFrameIsRejectedNotACrash() {
        String deep = "{\"id\":1,\"type\":\"ping\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> codec.decodeCommand(deep)).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void errorReplyCarriesCodeRetryableAndRetryAfter() {
        JsonNode n = codec.read(codec.error(5L, ChatException.rateLimited("slow down", 250)));
        assertThat(n.get("re").asLong()).isEqualTo(5);
        assertThat(n.at("/error/code").asText()).isEqualTo("rate_limited");
        assertThat(n.at("/error/retryable").asBoolean()).isTrue();
        assertThat(n.at("/error/retryAfterMs").asLong()).isEqualTo(250);
        assertThat(codec.read(codec.error(null, ChatException.badRequest("x"))).get("re").isNull()).isTrue();
    }

    @Test
    void messageEventUsesRfc3339WithMillisAndOmitsNulls() {
        String frame = codec.event(new MessageEvent(message));
        JsonNode n = codec.read(frame);
        assertThat(n.get("type").asText()).isEqualTo("message");
        assertThat(n.at("/message/createdAt").asText()).isEqualTo("2026-11-23T10:15:30.000Z");
        assertThat(n.at("/message/seq").asLong()).isEqualTo(7);
        assertThat(n.get("message").has("replyTo")).isFalse();
        assertThat(n.has("re")).isFalse();
    }

    @Test
    void everyEventRoundTripsThroughTheClientDecoder() {
        Conversation conversation = new Conversation("c1", ConversationKind.GROUP, "Team", null, "alice",
                Instant.parse("2026-11-23T10:15:30.123Z"), 3);
        List<ChatEvent> events = List.of(
                new MessageEvent(message),
                new TypingEvent("c1", "bob", TypingState.START),
                new PresenceEvent("bob", PresenceStatus.OFFLINE, Instant.parse("2026-11-23T10:15:30.123Z")),
                new PresenceEvent("bob", PresenceStatus.ONLINE, null),
                new ReceiptEvent("c1", "bob", CursorKind.READ, 7),
                new ChatEvent.ConversationEvent(conversation, List.of("alice", "bob")));
        for (ChatEvent event : events) {
            ServerFrame frame = codec.decodeServerFrame(codec.event(event));
            assertThat(frame).isInstanceOf(ServerFrame.Event.class);
            assertThat(codec.decodeEvent((ServerFrame.Event) frame)).isEqualTo(event);
        }
    }

    @Test
    void everyCommandRoundTripsThroughTheServerDecoder() {
        Map<String, Long> seqs = new LinkedHashMap<>();
        seqs.put("c1", 4L);
        List<Command> commands = List.of(
                new Command.Hello(1L, "tok", "test", "1.0"),
                new Command.Ping("p"),
                new Command.CreateConversation(2L, "group", null, "Team", List.of("bob")),
                new Command.CreateConversation(2L, "direct", "bob", null, null),
                new Command.AddMember(3L, "c1", "carol"),
                new Command.Members(3L, "c1"),
                new Command.ListConversations(4L, 10, "cur"),
                new Command.Send(5L, "c1", "m1", new MessageBody("hi"), "01X"),
                new Command.History(6L, "c1", 10L, null, 20),
                new Command.Typing(null, "c1", TypingState.STOP),
                new Command.Receipt(7L, "c1", CursorKind.DELIVERED, 3),
                new Command.Resume(8L, seqs, 100),
                new Command.Presence(9L, List.of("bob")));
        for (Command command : commands) {
            assertThat(codec.decodeCommand(codec.encodeCommand(command))).isEqualTo(command);
        }
    }

    @Test
    void repliesAndErrorsAreDecodedByTheClient() {
        assertThat(codec.decodeServerFrame(codec.write(codec.ok(4L)))).isInstanceOf(ServerFrame.Reply.class);
        ServerFrame err = codec.decodeServerFrame(codec.error("x", ChatException.forbidden("no")));
        assertThat(err).isInstanceOfSatisfying(ServerFrame.ErrorReply.class, e -> {
            assertThat(e.re()).isEqualTo("x");
            assertThat(e.error().code()).isEqualTo(ErrorCode.FORBIDDEN);
        });
    }
}
