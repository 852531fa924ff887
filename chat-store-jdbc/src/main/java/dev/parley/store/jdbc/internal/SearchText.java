package dev.parley.store.jdbc.internal;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words as full-text search sees them: runs of letters and digits, folded to lower case
 * without diacritics ("Café" is "cafe"), like SQLite's {@code unicode61 remove_diacritics 2}
 * tokenizer. The PostgreSQL dialect indexes and queries these folded words, and builds its
 * snippets here, so both dialects match and mark the same words.
 */
final class SearchText {
    /** Snippet markers: plain characters, not markup, so user text cannot inject HTML through them. */
    static final String MARK_START = "«";
    static final String MARK_END = "»";
    static final String ELLIPSIS = "…";
    /** Longest snippet in words, as FTS5's {@code snippet(..., 16)}. */
    static final int SNIPPET_WORDS = 16;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private SearchText() {
    }

    /** The raw words of {@code text}, in order. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** One word folded: decomposed, combining marks dropped, lower case. */
    static String fold(String word) {
        String decomposed = Normalizer.normalize(word, Normalizer.Form.NFD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /** The distinct folded words of a query, in order. */
    static Set<String> terms(String query) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : words(query)) {
            String f = fold(w);
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    /** The folded words of {@code text} separated by single spaces: what gets indexed. */
    static String document(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String w : words(text)) {
            String f = fold(w);
            if (!f.isEmpty()) {
                out.append(out.length() == 0 ? "" : " ").append(f);
            }
        }
        return out.toString();
    }

    /**
     * A snippet of {@code text} with every word in {@code terms} between the markers: the whole
     * text when it has at most {@link #SNIPPET_WORDS} words, else the window of that many
     * words holding the most distinct terms (then the most matches, then the matches nearest
     * its middle, then the earliest), with {@link #ELLIPSIS} where text was cut off.
     */
    static String snippet(String text, Set<String> terms) {
        List<int[]> spans = new ArrayList<>();
        List<Boolean> hits = new ArrayList<>();
        List<String> folded = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
            String f = fold(m.group());
            folded.add(f);
            hits.add(terms.contains(f));
        }
        int n = spans.size();
        int from = 0;
        int to = n; // exclusive
        if (n > SNIPPET_WORDS) {
            int best = -1;
            int bestDistinct = -1;
            int bestHits = -1;
            double bestOffCentre = Double.MAX_VALUE;
            for (int start = 0; start + SNIPPET_WORDS <= n; start++) {
                Set<String> distinct = new LinkedHashSet<>();
                int count = 0;
                double sum = 0;
                for (int i = start; i < start + SNIPPET_WORDS; i++) {
                    if (hits.get(i)) {
                        distinct.add(folded.get(i));
                        count++;
                        sum += i;
                    }
                }
                double offCentre = count == 0 ? 0 : Math.abs(sum / count - (start + (SNIPPET_WORDS - 1) / 2.0));
                if (distinct.size() > bestDistinct
                        || (distinct.size() == bestDistinct && count > bestHits)
                        || (distinct.size() == bestDistinct && count == bestHits && offCentre < bestOffCentre)) {
                    best = start;
                    bestDistinct = distinct.size();
                    bestHits = count;
                    bestOffCentre = offCentre;
                }
            }
            from = best;
            to = best + SNIPPET_WORDS;
        }
        int textFrom = from == 0 ? 0 : spans.get(from)[0];
        int textTo = to == n ? text.length() : spans.get(to - 1)[1];
        StringBuilder out = new StringBuilder(textTo - textFrom + 16);
        if (from > 0) {
            out.append(ELLIPSIS);
        }
        int last = textFrom;
        for (int i = from; i < to; i++) {
            if (hits.get(i)) {
                int[] s = spans.get(i);
                out.append(text, last, s[0]).append(MARK_START).append(text, s[0], s[1]).append(MARK_END);
                last = s[1];
            }
        }
        out.append(text, last, textTo);
        if (to < n) {
            out.append(ELLIPSIS);
        }
        return out.toString();
    }
}
