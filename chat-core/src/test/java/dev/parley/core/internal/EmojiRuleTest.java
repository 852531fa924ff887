package dev.parley.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmojiRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {"👍", "❤️", "😂", "🎉", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1️⃣", "#️⃣", "✅", "⭐", "©️",
            "↩️", "™️", "🫠"})
    void emojiSequencesAreAccepted(String emoji) {
        assertThat(EmojiRule.isEmoji(emoji)).as(emoji).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "ok", "+1", "1", "#", " ", "👍 ", "\u200D", "\uFE0F", "<3", "é", "中", "\n",
            "👍a", "\u202E👍"})
    void lettersDigitsPunctuationAndLoneModifiersAreRefused(String text) {
        assertThat(EmojiRule.isEmoji(text)).as(text).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"👨‍👩‍👧‍👦", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"})
    void theLongestCommonSequencesFitTheLengthLimit(String emoji) {
        assertThat(emoji.length()).isLessThanOrEqualTo(EmojiRule.MAX_CHARS);
    }
}
