package dev.parley.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL dialect's words and snippets, which must match SQLite's {@code unicode61
 * remove_diacritics 2} tokenizer and {@code snippet(..., 16)}; tested here without a database.
 */
class SearchTextTest {

    @Test
    void wordsAreRunsOfLettersAndDigitsFoldedWithoutDiacritics() {
        assertThat(SearchText.words("Café, naïve-2024!")).containsExactly("Café", "naïve", "2024");
        assertThat(SearchText.fold("CAFÉ")).isEqualTo("cafe");
        assertThat(SearchText.terms("Café cafe CAFE rôle")).containsExactly("cafe", "role");
        assertThat(SearchText.document("  Crème  brûlée, s'il vous plaît ")).isEqualTo("creme brulee s il vous plait");
        assertThat(SearchText.document("!!! ...")).isEmpty();
        assertThat(SearchText.terms("")).isEmpty();
    }

    @Test
    void aShortTextIsMarkedWhole() {
        assertThat(SearchText.snippet("Meet at the Café at noon", Set.of("cafe", "noon")))
                .isEqualTo("Meet at the «Café» at «noon»");
        assertThat(SearchText.snippet("nothing here", Set.of("cafe"))).isEqualTo("nothing here");
    }

    @Test
    void aLongTextIsCutToTheWindowWithTheMostTerms() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append(i == 30 ? "target" : i == 33 ? "other" : "w" + i).append(' ');
        }
        String snippet = SearchText.snippet(text.toString().strip(), Set.of("target", "other"));
        assertThat(snippet).startsWith(SearchText.ELLIPSIS).contains("«target»").contains("«other»");
        String inner = snippet.substring(SearchText.ELLIPSIS.length());
        if (inner.endsWith(SearchText.ELLIPSIS)) {
            inner = inner.substring(0, inner.length() - SearchText.ELLIPSIS.length());
        }
        assertThat(SearchText.words(inner)).hasSize(SearchText.SNIPPET_WORDS);
        assertThat(SearchText.snippet("w0 w1 target", Set.of("target"))).doesNotContain(SearchText.ELLIPSIS);
    }
}
