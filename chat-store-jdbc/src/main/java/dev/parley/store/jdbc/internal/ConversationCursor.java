package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code nextCursor} of a conversation list: the activity position of the last
 * conversation on the page, base64url-encoded with a version prefix so the format can change.
 */
public final class ConversationCursor {
    private static final String PREFIX = "a1:";

    private ConversationCursor() {
    }

    public static String encode(long activitySeq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + activitySeq).getBytes(StandardCharsets.US_ASCII));
    }

    /** @return the activity position to continue below; {@code Long.MAX_VALUE} for a null cursor */
    public static long decode(String cursor) {
        if (cursor == null) {
            return Long.MAX_VALUE;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(PREFIX)) {
                long value = Long.parseLong(text.substring(PREFIX.length()));
                if (value > 0) {
                    return value;
                }
            }
        } catch (IllegalArgumentException e) {
            // not base64 or not a number: reported below
        }
        throw ChatException.badRequest("cursor is not a conversation cursor from this server");
    }
}
