package dev.parley.core;

import java.util.List;

/**
 * The optional parts of a send, for {@link ChatEngine#sendWithOptions(String, String, String, MessageBody, SendOptions)}.
 * Start from {@link #NONE} and set what you need:
 *
 * <pre>{@code
 * engine.sendWithOptions("bob", groupId, "c-9", new MessageBody("agreed"), SendOptions.NONE.inThread(rootId));
 * }</pre>
 *
 * @param replyTo      id of the message this one quotes, or {@code null}
 * @param ttlSeconds   time to live (5 to 31,536,000 seconds), or {@code null}
 * @param mentions     ids of mentioned members, never {@code null}
 * @param threadRootId id of the thread root this message replies in, or {@code null}
 * @since 0.1.0
 */
public record SendOptions(String replyTo, Integer ttlSeconds, List<String> mentions, String threadRootId) {
    /** No reply, time to live, mentions or thread. */
    public static final SendOptions NONE = new SendOptions(null, null, List.of(), null);

    public SendOptions {
        // not List.copyOf: a null id must reach the engine's check, which answers bad_request
        mentions = mentions == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(mentions));
    }

    public SendOptions replyingTo(String messageId) {
        return new SendOptions(messageId, ttlSeconds, mentions, threadRootId);
    }

    public SendOptions withTtlSeconds(Integer seconds) {
        return new SendOptions(replyTo, seconds, mentions, threadRootId);
    }

    public SendOptions mentioning(List<String> userIds) {
        return new SendOptions(replyTo, ttlSeconds, userIds, threadRootId);
    }

    public SendOptions inThread(String rootId) {
        return new SendOptions(replyTo, ttlSeconds, mentions, rootId);
    }
}
