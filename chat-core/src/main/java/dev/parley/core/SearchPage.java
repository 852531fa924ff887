package dev.parley.core;

import java.util.List;

/**
 * A page of search results, most relevant first.
 *
 * @param results    the hits
 * @param nextCursor the cursor of the next page, or {@code null} when this is the last
 * @since 0.1.0
 */
public record SearchPage(List<SearchHit> results, String nextCursor) {
    public SearchPage {
        results = List.copyOf(results);
    }
}
