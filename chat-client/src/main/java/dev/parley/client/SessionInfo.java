package dev.parley.client;

import java.time.Duration;

/**
 * What the server said in its {@code hello} reply.
 *
 * @param sessionId     the server's id of this session
 * @param userId        the authenticated user
 * @param userName      the user's display name
 * @param pingInterval  how often the server sends its application-level ping; the client
 *                      reconnects when no frame arrives for twice this long (zero: not announced)
 * @param maxFrameBytes largest frame the server accepts (0 when not announced)
 * @param maxBodyChars  longest message text the server accepts (0 when not announced)
 */
public record SessionInfo(String sessionId, String userId, String userName, Duration pingInterval,
                          int maxFrameBytes, int maxBodyChars) {
}
