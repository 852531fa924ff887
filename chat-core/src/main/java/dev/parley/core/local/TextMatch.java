package dev.parley.core.local;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-memory store's search: a message matches when every word of the query is a word of
 * its text, case-insensitively. Words are runs of letters and digits, so no character of a
 * query has a syntax meaning.
 */
final class TextMatch {
    static final String MARK_START = "«";
    static final String MARK_END = "»";
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private final Set<String> terms;

    TextMatch(String query) {
        this.terms = words(query);
    }

    /** Whether the query has any word at all; without one it matches nothing. */
    boolean isEmpty() {
        return terms.isEmpty();
    }

    /** How many words of {@code text} are query words, or 0 when some query word is missing. */
    int score(String text) {
        if (terms.isEmpty()) {
            return 0;
        }
        Set<String> found = new LinkedHashSet<>();
        int hits = 0;
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            String w = m.group().toLowerCase(Locale.ROOT);
            if (terms.contains(w)) {
                found.add(w);
                hits++;
            }
        }
        return found.size() == terms.size() ? hits : 0;
    }

    /** The text with each query word between the markers. */
    String snippet(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        Matcher m = WORD.matcher(text);
        int last = 0;
        while (m.find()) {
            if (terms.contains(m.group().toLowerCase(Locale.ROOT))) {
                out.append(text, last, m.start()).append(MARK_START).append(m.group()).append(MARK_END);
                last = m.end();
            }
        }
        return out.append(text, last, text.length()).toString();
    }

    static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
