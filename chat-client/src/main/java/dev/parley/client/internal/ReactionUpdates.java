package dev.parley.client.internal;

import dev.parley.core.Message;
import dev.parley.core.ReactionSummary;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ReactionAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@code reaction} event to a copy of its message the client holds back (one
 * waiting above a gap), so that it is delivered with the reaction counted.
 */
final class ReactionUpdates {
    private ReactionUpdates() {
    }

    /**
     * @param selfId the signed-in user, whose reactions set {@code me}; {@code null} when unknown
     */
    static Message apply(Message message, ReactionEvent event, String selfId) {
        boolean self = event.userId().equals(selfId);
        boolean added = event.action() == ReactionAction.ADDED;
        List<ReactionSummary> out = new ArrayList<>(message.reactions().size() + 1);
        boolean found = false;
        for (ReactionSummary r : message.reactions()) {
            if (!r.emoji().equals(event.emoji())) {
                out.add(r);
                continue;
            }
            found = true;
            List<String> userIds = new ArrayList<>(r.userIds());
            if (added) {
                if (userIds.contains(event.userId()) || (self && r.me())) {
                    out.add(r); // the copy was read after the reaction: counted already
                    continue;
                }
                if (userIds.size() < ReactionSummary.MAX_USER_IDS) {
                    userIds.add(event.userId());
                }
                out.add(new ReactionSummary(r.emoji(), r.count() + 1, userIds, r.me() || self));
            } else if (r.count() > 1) {
                userIds.remove(event.userId());
                out.add(new ReactionSummary(r.emoji(), r.count() - 1, userIds, r.me() && !self));
            }
        }
        if (!found && added) {
            out.add(new ReactionSummary(event.emoji(), 1, List.of(event.userId()), self));
        }
        return message.withReactions(out);
    }
}
