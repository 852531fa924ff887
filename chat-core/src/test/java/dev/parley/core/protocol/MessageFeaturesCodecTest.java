package dev.parley.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.DeleteScope;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.MessageEdit;
import dev.parley.core.ReactionSummary;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.MessageDeletedEvent;
import dev.parley.core.event.ChatEvent.MessageEditedEvent;
import dev.parley.core.event.ChatEvent.MessageHiddenEvent;
import dev.parley.core.event.ChatEvent.PinEvent;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ReactionAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire form of edits, deletion, reactions and pins. */
class MessageFeaturesCodecTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");
    private final ProtocolCodec codec = new ProtocolCodec();
    private final Message message = new Message("m1", "c1", 7, "alice", "cm-1", new MessageBody("hi"), null, AT, AT,
            false, List.of(new ReactionSummary("👍", 2, List.of("alice", "bob"), true),
            new ReactionSummary("❤️", 1, List.of("bob"), false)), false);

    @Test
    void everyNewCommandRoundTripsThroughTheServerDecoder() {
        List<Command> commands = List.of(
                new Command.EditMessage(1L, "c1", "m1", new MessageBody("fixed")),
                new Command.MessageEdits(2L, "c1", "m1"),
                new Command.DeleteMessage(3L, "c1", "m1", DeleteScope.EVERYONE),
                new Command.DeleteMessage(4L, "c1", "m1", DeleteScope.ME),
                new Command.AddReaction(5L, "c1", "m1", "👍🏽"),
                new Command.RemoveReaction(6L, "c1", "m1", "👍🏽"),
                new Command.PinMessage(7L, "c1", "m1"),
                new Command.UnpinMessage(8L, "c1", "m1"),
                new Command.Pins(9L, "c1"));
        for (Command command : commands) {
            assertThat(codec.decodeCommand(codec.encodeCommand(command))).isEqualTo(command);
        }
    }

    @Test
    void wireNamesAreTheDocumentedOnes() {
        assertThat(codec.decodeCommand("{\"id\":1,\"type\":\"message.delete\",\"conversationId\":\"c\","
                + "\"messageId\":\"m\",\"scope\":\"me\"}"))
                .isEqualTo(new Command.DeleteMessage(1L, "c", "m", DeleteScope.ME));
        assertThat(codec.decodeCommand("{\"id\":2,\"type\":\"message.edit\",\"conversationId\":\"c\","
                + "\"messageId\":\"m\",\"body\":{\"text\":\"new\"}}"))
                .isEqualTo(new Command.EditMessage(2L, "c", "m", new MessageBody("new")));
        assertThat(codec.decodeCommand("{\"id\":3,\"type\":\"reaction.add\",\"conversationId\":\"c\","
                + "\"messageId\":\"m\",\"emoji\":\"🎉\"}"))
                .isEqualTo(new Command.AddReaction(3L, "c", "m", "🎉"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":1,\"type\":\"message.delete\",\"conversationId\":\"c\",\"messageId\":\"m\"}",
            "{\"id\":1,\"type\":\"message.delete\",\"conversationId\":\"c\",\"messageId\":\"m\",\"scope\":\"all\"}",
            "{\"id\":1,\"type\":\"message.edit\",\"conversationId\":\"c\",\"body\":{\"text\":\"x\"}}",
            "{\"id\":1,\"type\":\"message.edit\",\"conversationId\":\"c\",\"messageId\":\"m\",\"body\":\"x\"}",
            "{\"id\":1,\"type\":\"reaction.add\",\"conversationId\":\"c\",\"messageId\":\"m\"}",
            "{\"id\":1,\"type\":\"reaction.remove\",\"conversationId\":\"c\",\"messageId\":\"m\",\"emoji\":5}",
            "{\"id\":1,\"type\":\"message.pin\",\"conversationId\":\"c\"}",
            "{\"id\":1,\"type\":\"pins\"}"})
    void malformedCommandsAreBadRequests(String frame) {
        assertThatThrownBy(() -> codec.decodeCommand(frame))
                .isInstanceOf(ProtocolException.class).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void everyNewEventRoundTripsThroughTheClientDecoder() {
        List<ChatEvent> events = List.of(
                new MessageEditedEvent(message),
                new MessageDeletedEvent("c1", "m1", 7),
                new MessageHiddenEvent("c1", "m1", 7),
                new ReactionEvent("c1", "m1", 7, "bob", "👍", ReactionAction.ADDED),
                new ReactionEvent("c1", "m1", 7, "bob", "👍", ReactionAction.REMOVED),
                new PinEvent("c1", "m1", true, "alice"),
                new PinEvent("c1", "m1", false, "alice"));
        for (ChatEvent event : events) {
            ServerFrame frame = codec.decodeServerFrame(codec.event(event));
            assertThat(codec.decodeEvent((ServerFrame.Event) frame)).isEqualTo(event);
        }
    }

    @Test
    void eventFieldsAreTheDocumentedOnes() {
        JsonNode reaction = codec.read(codec.event(new ReactionEvent("c1", "m1", 7, "bob", "👍", ReactionAction.ADDED)));
        assertThat(reaction.toString()).isEqualTo("{\"type\":\"reaction\",\"conversationId\":\"c1\",\"messageId\":\"m1\","
                + "\"seq\":7,\"userId\":\"bob\",\"emoji\":\"👍\",\"action\":\"added\"}");
        JsonNode pin = codec.read(codec.event(new PinEvent("c1", "m1", true, "alice")));
        assertThat(pin.toString()).isEqualTo("{\"type\":\"pin\",\"conversationId\":\"c1\",\"messageId\":\"m1\","
                + "\"pinned\":true,\"userId\":\"alice\"}");
        JsonNode deleted = codec.read(codec.event(new MessageDeletedEvent("c1", "m1", 7)));
        assertThat(deleted.toString()).isEqualTo("{\"type\":\"message.deleted\",\"conversationId\":\"c1\","
                + "\"messageId\":\"m1\",\"seq\":7}");
    }

    @Test
    void messageCarriesReactionsWithMeOnlyWhenTrueAndHiddenOnlyWhenTrue() {
        JsonNode n = codec.tree(message);
        assertThat(n.get("reactions").toString()).isEqualTo("[{\"emoji\":\"👍\",\"count\":2,"
                + "\"userIds\":[\"alice\",\"bob\"],\"me\":true},{\"emoji\":\"❤️\",\"count\":1,\"userIds\":[\"bob\"]}]");
        assertThat(n.has("hidden")).isFalse();
        assertThat(n.get("deleted").asBoolean()).isFalse();
        assertThat(n.get("editedAt").asText()).isEqualTo("2026-11-23T10:15:30.123Z");

        JsonNode stub = codec.tree(message.hiddenStub());
        assertThat(stub.get("hidden").asBoolean()).isTrue();
        assertThat(stub.get("deleted").asBoolean()).isTrue();
        assertThat(stub.at("/body/text").asText()).isEmpty();
        assertThat(stub.get("reactions").isEmpty()).isTrue();
        assertThat(codec.message(stub)).isEqualTo(message.hiddenStub());
    }

    @Test
    void aMessageWithoutReactionsDecodesFromAnOlderServersFrame() {
        Message decoded = codec.message(codec.read("{\"id\":\"m1\",\"conversationId\":\"c1\",\"seq\":1,"
                + "\"senderId\":\"alice\",\"clientMsgId\":\"k\",\"body\":{\"text\":\"hi\"},"
                + "\"createdAt\":\"2026-11-23T10:15:30.123Z\",\"deleted\":false}"));
        assertThat(decoded.reactions()).isEmpty();
        assertThat(decoded.hidden()).isFalse();
    }

    @Test
    void editHistoryEntryIsBodyAndEditedAt() {
        MessageEdit edit = new MessageEdit(new MessageBody("before"), AT);
        assertThat(codec.edit(edit).toString())
                .isEqualTo("{\"body\":{\"text\":\"before\"},\"editedAt\":\"2026-11-23T10:15:30.123Z\"}");
        assertThat(codec.messageEdit(codec.edit(edit))).isEqualTo(edit);
    }
}
