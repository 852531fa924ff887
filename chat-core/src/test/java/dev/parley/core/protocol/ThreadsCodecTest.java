package dev.parley.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.ThreadSummary;
import dev.parley.core.ThreadView;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.ThreadEvent;
import dev.parley.core.event.ChatEvent.ThreadReadEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire form of thread commands, thread fields on messages and thread events. */
class ThreadsCodecTest {
    private static final Instant T = Instant.parse("2026-03-01T09:00:00.250Z");
    private final ProtocolCodec codec = new ProtocolCodec();

    private ChatEvent roundTrip(ChatEvent event) {
        return codec.decodeEvent((ServerFrame.Event) codec.decodeServerFrame(codec.event(event)));
    }

    @Test
    void threadCommandsRoundTrip() {
        List<Command> commands = List.of(
                new Command.Send(1L, "c-1", "m-1", new MessageBody("hi"), null, null, List.of("bob"), "root-1"),
                new Command.ThreadHistory(2L, "c-1", "root-1", 9L, null, 20),
                new Command.ThreadHistory(3L, "c-1", "root-1", null, null, null),
                new Command.Threads(4L, "c-1", 17L, 5),
                new Command.Threads(5L, "c-1", null, null),
                new Command.ThreadRead(6L, "c-1", "root-1", 12L));
        for (Command c : commands) {
            assertThat(codec.decodeCommand(codec.encodeCommand(c))).isEqualTo(c);
        }
        assertThat(codec.encodeCommand(new Command.ThreadHistory(3L, "c-1", "root-1", null, null, null)))
                .isEqualTo("{\"id\":3,\"type\":\"thread.history\",\"conversationId\":\"c-1\",\"rootId\":\"root-1\"}");
    }

    @Test
    void threadCommandsWithoutRequiredFieldsAreBadRequests() {
        for (String frame : List.of(
                "{\"id\":1,\"type\":\"thread.history\",\"conversationId\":\"c-1\"}",
                "{\"id\":1,\"type\":\"thread.history\",\"conversationId\":\"c-1\",\"rootId\":7}",
                "{\"id\":1,\"type\":\"thread.read\",\"conversationId\":\"c-1\",\"rootId\":\"r\"}",
                "{\"id\":1,\"type\":\"thread.read\",\"conversationId\":\"c-1\",\"rootId\":\"r\",\"seq\":\"x\"}",
                "{\"id\":1,\"type\":\"threads\"}",
                "{\"id\":1,\"type\":\"threads\",\"conversationId\":\"c-1\",\"limit\":\"many\"}",
                "{\"id\":1,\"type\":\"send\",\"conversationId\":\"c\",\"clientMsgId\":\"m\",\"body\":{\"text\":\"x\"},\"threadRootId\":5}")) {
            assertThatThrownBy(() -> codec.decodeCommand(frame)).as(frame)
                    .isInstanceOf(ProtocolException.class).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void messagesCarryThreadFieldsOnlyWhenSet() {
        Message plain = new Message("m-1", "c-1", 1, "alice", "k-1", new MessageBody("root"), null, T, null, false);
        ThreadSummary summary = new ThreadSummary(2, 3, T, List.of("bob", "carol"));
        Message root = plain.withThread(summary);
        Message reply = new Message("m-2", "c-1", 2, "bob", "k-2", new MessageBody("r"), null, T, null, false,
                List.of(), false, false, null, List.of(), "m-1", null);

        assertThat(codec.tree(plain).has("thread")).isFalse();
        assertThat(codec.tree(plain).has("threadRootId")).isFalse();
        assertThat(codec.tree(root).get("thread").toString())
                .isEqualTo("{\"replyCount\":2,\"lastReplySeq\":3,\"lastReplyAt\":\"2026-03-01T09:00:00.250Z\","
                        + "\"participants\":[\"bob\",\"carol\"]}");
        assertThat(codec.message(codec.tree(root))).isEqualTo(root);
        assertThat(codec.message(codec.tree(reply))).isEqualTo(reply);
        ThreadView view = new ThreadView(root, 2, 1);
        assertThat(codec.thread(codec.thread(view))).isEqualTo(view);
    }

    @Test
    void threadEventsRoundTrip() {
        ThreadEvent thread = new ThreadEvent("c-1", "m-1", 1, new ThreadSummary(1, 2, T, List.of("bob")));
        ThreadReadEvent read = new ThreadReadEvent("c-1", "m-1", "alice", 2);

        assertThat(roundTrip(thread)).isEqualTo(thread);
        assertThat(roundTrip(read)).isEqualTo(read);
        assertThat(codec.event(read))
                .isEqualTo("{\"type\":\"thread.read\",\"conversationId\":\"c-1\",\"rootId\":\"m-1\",\"userId\":\"alice\",\"seq\":2}");
    }
}
