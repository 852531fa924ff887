package dev.parley.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.ConversationExpiryEvent;
import dev.parley.core.event.ChatEvent.MessageExpiredEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire form of search, expiry commands and their events. */
class SearchExpiryCodecTest {
    private final ProtocolCodec codec = new ProtocolCodec();

    private ChatEvent roundTrip(ChatEvent event) {
        return codec.decodeEvent((ServerFrame.Event) codec.decodeServerFrame(codec.event(event)));
    }

    @Test
    void searchCommandRoundTrips() {
        Command.Search search = new Command.Search(1L, "lunch", "c-1", "bob", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-02-01T00:00:00.500Z"), false, 10, "s20");

        assertThat(codec.decodeCommand(codec.encodeCommand(search))).isEqualTo(search);
    }

    @Test
    void searchTimesAcceptOffsetsAndRefuseGarbage() {
        Command.Search s = (Command.Search) codec.decodeCommand(
                "{\"id\":1,\"type\":\"search\",\"query\":\"x\",\"after\":\"2026-01-01T02:00:00+02:00\"}");
        assertThat(s.after()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> codec.decodeCommand("{\"id\":1,\"type\":\"search\",\"query\":\"x\",\"before\":\"soon\"}"))
                .isInstanceOf(ProtocolException.class).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> codec.decodeCommand(
                "{\"id\":1,\"type\":\"search\",\"query\":\"x\",\"hasAttachment\":\"yes\"}"))
                .isInstanceOf(ProtocolException.class).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void expiryCommandsRoundTrip() {
        Command.SetExpiry set = new Command.SetExpiry(2L, "c-1", 60L);
        Command.Send send = new Command.Send(3L, "c-1", "m-1", new MessageBody("hi"), null, 30);

        assertThat(codec.decodeCommand(codec.encodeCommand(set))).isEqualTo(set);
        assertThat(codec.decodeCommand(codec.encodeCommand(send))).isEqualTo(send);
        assertThat(((Command.Send) codec.decodeCommand(codec.encodeCommand(
                new Command.Send(4L, "c-1", "m-2", new MessageBody("hi"), null)))).ttlSeconds()).isNull();
    }

    @Test
    void expiryEventsRoundTrip() {
        MessageExpiredEvent expired = new MessageExpiredEvent("c-1", List.of("m-1", "m-2"), List.of(3L, 4L));
        ConversationExpiryEvent timer = new ConversationExpiryEvent("c-1", 0, "alice");

        assertThat(codec.event(expired))
                .isEqualTo("{\"type\":\"message.expired\",\"conversationId\":\"c-1\",\"messageIds\":[\"m-1\",\"m-2\"],"
                        + "\"seqs\":[3,4]}");
        assertThat(roundTrip(expired)).isEqualTo(expired);
        assertThat(roundTrip(timer)).isEqualTo(timer);
    }

    @Test
    void expiredTombstonesCarryTheFlagAndOthersLeaveItOut() {
        Message m = new Message("m-1", "c-1", 1, "alice", "x", new MessageBody("secret"), "m-0",
                Instant.parse("2026-01-01T00:00:00Z"), null, false);

        assertThat(codec.tree(m).has("expired")).isFalse();
        Message tombstone = m.expiredTombstone();
        assertThat(codec.tree(tombstone).path("expired").asBoolean()).isTrue();
        assertThat(codec.message(codec.tree(tombstone))).isEqualTo(tombstone);
        assertThat(tombstone.body().text()).isEmpty();
        assertThat(tombstone.replyTo()).isNull();
    }
}
