package dev.parley.core.internal;

import dev.parley.core.ChatException;

/**
 * The {@code nextCursor} of a search page: the number of results already returned, written
 * as {@code "s<offset>"}. Relevance ranking has no stable key to page on, so pages are offsets;
 * a message arriving between two pages can shift the results by one.
 */
public final class SearchCursor {
    /** Deepest result a cursor may point at: ranking more than this many matches is not a search any more. */
    public static final int MAX_OFFSET = 10_000;

    private SearchCursor() {
    }

    public static String encode(int offset) {
        return "s" + offset;
    }

    /** The offset of {@code cursor}; 0 for {@code null}. */
    public static int decode(String cursor) {
        if (cursor == null) {
            return 0;
        }
        if (cursor.length() < 2 || cursor.length() > 6 || cursor.charAt(0) != 's') {
            throw ChatException.badRequest("cursor is not a search cursor from this server");
        }
        int offset;
        try {
            offset = Integer.parseInt(cursor.substring(1));
        } catch (NumberFormatException e) {
            throw ChatException.badRequest("cursor is not a search cursor from this server");
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw ChatException.badRequest("cursor is not a search cursor from this server");
        }
        return offset;
    }
}
