package dev.parley.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A search the engine validated and asks the store to run for one viewer.
 *
 * @param text           the user's words (1 to 200 characters): plain words, never a query
 *                       language; a store quotes them so that no character has a syntax meaning
 * @param conversationId only this conversation, or {@code null}
 * @param senderId       only this sender, or {@code null}
 * @param after          only messages created at or after, or {@code null}
 * @param before         only messages created before, or {@code null}
 * @param limit          most hits to return
 * @param offset         hits to skip (paging)
 * @param hasAttachment  {@code true}: only messages with attachments; {@code false}: only without;
 *                       {@code null}: either (since 0.6)
 * @since 0.1.0
 */
public record SearchQuery(String text, String conversationId, String senderId, Instant after, Instant before,
                          int limit, int offset, Boolean hasAttachment) {

    /** A search that does not filter on attachments. */
    public SearchQuery(String text, String conversationId, String senderId, Instant after, Instant before,
                       int limit, int offset) {
        this(text, conversationId, senderId, after, before, limit, offset, null);
    }

    public SearchQuery {
        Objects.requireNonNull(text, "text");
        if (limit < 1 || offset < 0) {
            throw new IllegalArgumentException("limit must be >= 1 and offset >= 0");
        }
    }
}
