package dev.parley.core.internal;

/**
 * What the engine accepts as a reaction: a short string made only of emoji code points.
 *
 * <p>Every code point must be a pictograph or symbol from the blocks emoji live in, or one of
 * the parts emoji sequences are built from: zero-width joiner (U+200D), variation selectors
 * (U+FE00–U+FE0F), skin-tone modifiers (U+1F3FB–U+1F3FF, inside the pictograph block),
 * regional indicators (flags, U+1F1E6–U+1F1FF), tag characters (subdivision flags,
 * U+E0020–U+E007F) and the keycap mark (U+20E3). The digits, {@code #} and {@code *} count
 * only in a keycap sequence. At least one code point must be a pictograph, not only joiners
 * or modifiers. Letters, ASCII punctuation, spaces and control characters are refused.
 *
 * <p>The rule does not check that the string is one grapheme ("👍👍" passes); it keeps
 * reactions to emoji without tracking each Unicode release.
 */
public final class EmojiRule {
    /** Longest reaction, in UTF-16 chars (a family emoji with joiners is 11). */
    public static final int MAX_CHARS = 16;

    private EmojiRule() {
    }

    /** Whether {@code text} is acceptable as a reaction (its length is checked separately). */
    public static boolean isEmoji(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        boolean keycap = text.indexOf('\u20E3') >= 0;
        boolean pictograph = false;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isPictograph(cp)) {
                pictograph = true;
            } else if (keycap && (cp >= '0' && cp <= '9' || cp == '#' || cp == '*')) {
                pictograph = true;
            } else if (!isJoinerOrModifier(cp)) {
                return false;
            }
        }
        return pictograph;
    }

    private static boolean isPictograph(int cp) {
        return cp >= 0x1F000 && cp <= 0x1FAFF      // pictographs, emoticons, transport, flags' letters, …
                || cp >= 0x2600 && cp <= 0x27BF    // miscellaneous symbols, dingbats
                || cp >= 0x2300 && cp <= 0x23FF    // miscellaneous technical (⌚ ⏰ ⏩)
                || cp >= 0x2B00 && cp <= 0x2BFF    // symbols and arrows (⬆ ⭐ ⭕)
                || cp >= 0x2190 && cp <= 0x21FF    // arrows (↔ ↩)
                || cp >= 0x25A0 && cp <= 0x25FF    // geometric shapes (▶ ◻)
                || cp == 0x2122 || cp == 0x2139    // ™ ℹ
                || cp == 0x00A9 || cp == 0x00AE    // © ®
                || cp == 0x203C || cp == 0x2049    // ‼ ⁉
                || cp == 0x2934 || cp == 0x2935    // ⤴ ⤵
                || cp == 0x3030 || cp == 0x303D    // 〰 〽
                || cp == 0x3297 || cp == 0x3299;   // ㊗ ㊙
    }

    private static boolean isJoinerOrModifier(int cp) {
        return cp == 0x200D                        // zero-width joiner
                || cp >= 0xFE00 && cp <= 0xFE0F    // variation selectors
                || cp == 0x20E3                    // combining enclosing keycap
                || cp >= 0xE0020 && cp <= 0xE007F; // tags (subdivision flags)
    }
}
