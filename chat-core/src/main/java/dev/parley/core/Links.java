package dev.parley.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web links in a message's text, for the media gallery's links tab: {@code http://} and
 * {@code https://} URLs, as plain text shows them (no markup is parsed).
 *
 * @since 0.1.0
 */
public final class Links {
    /** Most links taken from one message. */
    public static final int MAX_PER_MESSAGE = 10;
    /** Longer URLs are not links worth listing (and cannot be real browser URLs). */
    public static final int MAX_URL_CHARS = 2_048;

    private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"'`]+");
    /** Punctuation that ends a sentence rather than a URL: "see https://x.org/a." */
    private static final String TRAILING = ".,;:!?)]}'\"*_~";

    private Links() {
    }

    /** The distinct links of {@code text} in order of appearance, at most {@link #MAX_PER_MESSAGE}. */
    public static List<String> extract(String text) {
        if (text == null || text.length() < 8 || !containsScheme(text)) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher m = URL.matcher(text);
        while (m.find() && out.size() < MAX_PER_MESSAGE) {
            String url = m.group();
            int end = url.length();
            while (end > 0 && TRAILING.indexOf(url.charAt(end - 1)) >= 0 && !balancedClose(url, end)) {
                end--;
            }
            url = url.substring(0, end);
            int schemeEnd = url.indexOf("://") + 3;
            if (url.length() > schemeEnd && url.length() <= MAX_URL_CHARS) {
                out.add(url);
            }
        }
        return new ArrayList<>(out);
    }

    /** Whether {@code text} may contain a link: the cheap test stores use before a full scan. */
    public static boolean containsScheme(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("http://") || lower.contains("https://");
    }

    /** A closing parenthesis that belongs to the URL, as in https://en.wikipedia.org/wiki/Java_(language). */
    private static boolean balancedClose(String url, int end) {
        char c = url.charAt(end - 1);
        if (c != ')') {
            return false;
        }
        int open = 0;
        int close = 0;
        for (int i = 0; i < end; i++) {
            if (url.charAt(i) == '(') {
                open++;
            } else if (url.charAt(i) == ')') {
                close++;
            }
        }
        return open >= close;
    }
}
