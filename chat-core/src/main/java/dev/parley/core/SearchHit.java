package dev.parley.core;

import java.util.Objects;

/**
 * One search result.
 *
 * @param message the message as the searcher reads it
 * @param snippet an excerpt of the text with each matched word between {@code «} and {@code »}
 *                (plain text, not HTML: escape it before putting it into markup)
 * @param rank    relevance, higher is better; comparable only within one result list
 * @since 0.1.0
 */
public record SearchHit(Message message, String snippet, double rank) {
    public SearchHit {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(snippet, "snippet");
    }
}
