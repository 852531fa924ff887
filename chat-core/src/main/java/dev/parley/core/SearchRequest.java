package dev.parley.core;

import java.time.Instant;

/**
 * A full-text search over the caller's conversations, as a client asks for it. Every field but
 * {@code query} is optional ({@code null}).
 *
 * <pre>{@code
 * SearchPage page = engine.search("alice", SearchRequest.of("lunch friday"));
 * }</pre>
 *
 * @param query          the words to find (1 to 200 characters); plain words, not a query language:
 *                       every word must occur, in any order, case-insensitively
 * @param conversationId only this conversation
 * @param senderId       only messages of this user
 * @param after          only messages sent at or after this time
 * @param before         only messages sent before this time
 * @param hasAttachment  {@code true}: only messages with attachments, {@code false}: only without
 * @param limit          results per page, 1 to 50 (default 20)
 * @param cursor         {@code nextCursor} of the previous page
 * @since 0.1.0
 */
public record SearchRequest(String query, String conversationId, String senderId, Instant after, Instant before,
                            Boolean hasAttachment, Integer limit, String cursor) {

    /** A search for {@code query} over all the caller's conversations, first page. */
    public static SearchRequest of(String query) {
        return new SearchRequest(query, null, null, null, null, null, null, null);
    }
}
