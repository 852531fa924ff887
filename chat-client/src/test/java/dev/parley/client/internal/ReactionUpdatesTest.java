package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.ReactionSummary;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ReactionAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReactionUpdatesTest {
    private final Message plain = new Message("m1", "c1", 1, "alice", "k", new MessageBody("hi"), null,
            Instant.EPOCH, null, false);

    private static ReactionEvent event(String userId, String emoji, ReactionAction action) {
        return new ReactionEvent("c1", "m1", 1, userId, emoji, action);
    }

    @Test
    void addingCountsTheUserAndMarksTheSignedInUser() {
        Message once = ReactionUpdates.apply(plain, event("bob", "👍", ReactionAction.ADDED), "alice");
        Message twice = ReactionUpdates.apply(once, event("alice", "👍", ReactionAction.ADDED), "alice");

        assertThat(twice.reactions()).containsExactly(new ReactionSummary("👍", 2, List.of("bob", "alice"), true));
    }

    @Test
    void aReactionTheCopyAlreadyCountsIsNotCountedTwice() {
        Message counted = plain.withReactions(List.of(new ReactionSummary("👍", 1, List.of("bob"), false)));

        assertThat(ReactionUpdates.apply(counted, event("bob", "👍", ReactionAction.ADDED), "alice"))
                .isEqualTo(counted);
    }

    @Test
    void removingTheLastUserOfAnEmojiRemovesItsSummary() {
        Message reacted = plain.withReactions(List.of(new ReactionSummary("👍", 2, List.of("bob", "alice"), true),
                new ReactionSummary("🎉", 1, List.of("bob"), false)));

        Message after = ReactionUpdates.apply(reacted, event("alice", "👍", ReactionAction.REMOVED), "alice");
        after = ReactionUpdates.apply(after, event("bob", "🎉", ReactionAction.REMOVED), "alice");

        assertThat(after.reactions()).containsExactly(new ReactionSummary("👍", 1, List.of("bob"), false));
    }
}
