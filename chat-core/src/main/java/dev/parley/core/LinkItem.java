package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a conversation's links gallery: a web link and the message whose text has it.
 *
 * @param url       the link, as written ({@code http://} or {@code https://})
 * @param messageId the message
 * @param seq       the message's seq (page with {@code beforeSeq})
 * @param senderId  who sent it
 * @param sentAt    when
 * @since 0.1.0
 */
public record LinkItem(String url, String messageId, long seq, String senderId, Instant sentAt) {
    public LinkItem {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(messageId, "messageId");
    }
}
