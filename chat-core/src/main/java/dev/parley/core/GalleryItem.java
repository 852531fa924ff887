package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a conversation's media gallery: an attachment and the message that carries it.
 *
 * @param attachment the attachment
 * @param messageId  the message
 * @param seq        the message's seq (page with {@code beforeSeq})
 * @param senderId   who sent it
 * @param sentAt     when
 * @since 0.1.0
 */
public record GalleryItem(Attachment attachment, String messageId, long seq, String senderId, Instant sentAt) {
    public GalleryItem {
        Objects.requireNonNull(attachment, "attachment");
        Objects.requireNonNull(messageId, "messageId");
    }
}
