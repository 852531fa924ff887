package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * The reactions of one emoji on a message.
 *
 * @param emoji   the emoji
 * @param count   how many users reacted with it (at least 1)
 * @param userIds the first users who reacted with it, in reaction order, at most
 *                {@link #MAX_USER_IDS}
 * @param me      whether the reader reacted with it; only in answers to that reader (history,
 *                replies), never in events, which go to everyone alike. Left out on the wire when false.
 */
public record ReactionSummary(String emoji, int count, List<String> userIds,
                              @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean me) {
    /** How many user ids a summary lists. */
    public static final int MAX_USER_IDS = 10;

    public ReactionSummary {
        Objects.requireNonNull(emoji, "emoji");
        userIds = userIds == null ? List.of() : List.copyOf(userIds);
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
    }

    /** This summary as everyone sees it: without the reader's {@code me} flag. */
    public ReactionSummary anonymous() {
        return me ? new ReactionSummary(emoji, count, userIds, false) : this;
    }
}
