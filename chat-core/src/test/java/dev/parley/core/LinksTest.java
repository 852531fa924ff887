package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinksTest {
    @Test
    void findsHttpAndHttpsLinksWithoutTrailingPunctuation() {
        assertThat(Links.extract("see https://x.org/a. and (http://y.com/b), or \"https://z.io/c?d=e&f\"!"))
                .containsExactly("https://x.org/a", "http://y.com/b", "https://z.io/c?d=e&f");
        assertThat(Links.extract("https://en.wikipedia.org/wiki/Java_(programming_language)"))
                .containsExactly("https://en.wikipedia.org/wiki/Java_(programming_language)");
    }

    @Test
    void ignoresWhatIsNotALink() {
        assertThat(Links.extract(null)).isEmpty();
        assertThat(Links.extract("ftp://files.example.org javascript:alert(1) http:// https://")).isEmpty();
        assertThat(Links.extract("mailto:a@b.c www.example.org")).isEmpty();
        assertThat(Links.extract("https://" + "a".repeat(Links.MAX_URL_CHARS))).isEmpty();
    }

    @Test
    void keepsDistinctLinksInOrderUpToTheLimit() {
        StringBuilder text = new StringBuilder("https://a.org https://a.org ");
        for (int i = 0; i < 20; i++) {
            text.append("https://h").append(i).append(".org ");
        }
        assertThat(Links.extract(text.toString())).hasSize(Links.MAX_PER_MESSAGE).startsWith("https://a.org", "https://h0.org");
    }
}
