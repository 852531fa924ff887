package dev.parley.client;

import dev.parley.core.Message;
import dev.parley.core.event.ChatEvent.ConversationEvent;
import dev.parley.core.event.ChatEvent.MessageDeletedEvent;
import dev.parley.core.event.ChatEvent.MessageHiddenEvent;
import dev.parley.core.event.ChatEvent.PinEvent;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.ChatEvent.TypingEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback, with the thread it ran on. */
final class RecordingListener implements ChatClient.Listener {
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<TypingEvent> typing = new CopyOnWriteArrayList<>();
    final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
    final List<ReceiptEvent> receipts = new CopyOnWriteArrayList<>();
    final List<ConversationEvent> conversations = new CopyOnWriteArrayList<>();
    final List<Message> edited = new CopyOnWriteArrayList<>();
    final List<MessageDeletedEvent> deleted = new CopyOnWriteArrayList<>();
    final List<MessageHiddenEvent> hidden = new CopyOnWriteArrayList<>();
    final List<ReactionEvent> reactions = new CopyOnWriteArrayList<>();
    final List<PinEvent> pins = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<Throwable> causes = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Message message) {
        threads.add(Thread.currentThread().getName());
        messages.add(message);
    }

    @Override
    public void onTyping(TypingEvent event) {
        typing.add(event);
    }

    @Override
    public void onPresence(PresenceEvent event) {
        presence.add(event);
    }

    @Override
    public void onReceipt(ReceiptEvent event) {
        receipts.add(event);
    }

    @Override
    public void onConversation(ConversationEvent event) {
        conversations.add(event);
    }

    @Override
    public void onMessageEdited(Message message) {
        edited.add(message);
    }

    @Override
    public void onMessageDeleted(MessageDeletedEvent event) {
        deleted.add(event);
    }

    @Override
    public void onMessageHidden(MessageHiddenEvent event) {
        hidden.add(event);
    }

    @Override
    public void onReaction(ReactionEvent event) {
        reactions.add(event);
    }

    @Override
    public void onPin(PinEvent event) {
        pins.add(event);
    }

    @Override
    public void onConnectionState(ConnectionState state, Throwable cause) {
        states.add(state);
        if (cause != null) {
            causes.add(cause);
        }
    }

    List<String> texts() {
        return messages.stream().map(m -> m.body().text()).toList();
    }

    List<Long> seqs(String conversationId) {
        return messages.stream().filter(m -> m.conversationId().equals(conversationId)).map(Message::seq).toList();
    }
}
