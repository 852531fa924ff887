package dev.parley.core;

import java.util.List;

/**
 * What a reconnecting client missed.
 *
 * @param missed    missed messages of every conversation that is not truncated, ascending seq
 *                  within each conversation
 * @param truncated conversations with more missed messages than the replay limit; the client
 *                  pages them with history
 * @param forbidden listed conversations the caller is no longer a member of
 */
public record ResumeResult(List<Message> missed, List<String> truncated, List<String> forbidden) {
    public ResumeResult {
        missed = List.copyOf(missed);
        truncated = List.copyOf(truncated);
        forbidden = List.copyOf(forbidden);
    }
}
