package dev.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void pathTraversalKeepsOnlyTheLastSegment() {
        assertThat(FileNames.sanitize("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitize("..\\..\\Windows\\System32\\evil.dll")).isEqualTo("evil.dll");
        assertThat(FileNames.sanitize("/etc/shadow")).isEqualTo("shadow");
        assertThat(FileNames.sanitize("C:\\Users\\me\\photo.jpg")).isEqualTo("photo.jpg");
        assertThat(FileNames.sanitize("..")).isEqualTo(FileNames.FALLBACK);
        assertThat(FileNames.sanitize("dir/")).isEqualTo(FileNames.FALLBACK);
    }

    @Test
    void controlAndFormatCharactersAreRemoved() {
        assertThat(FileNames.sanitize("a\0b.txt")).isEqualTo("ab.txt");
        assertThat(FileNames.sanitize("line\r\nbreak.txt")).isEqualTo("line break.txt");
        assertThat(FileNames.sanitize("tab\there.txt")).isEqualTo("tab here.txt");
        // U+202E RIGHT-TO-LEFT OVERRIDE makes "invoice\u202Efdp.exe" display as "invoiceexe.pdf"
        assertThat(FileNames.sanitize("invoice\u202Efdp.exe")).isEqualTo("invoicefdp.exe");
        assertThat(FileNames.sanitize("zero\u200Bwidth.txt")).isEqualTo("zerowidth.txt");
        assertThat(FileNames.sanitize("\u0007\u001B[31m")).isEqualTo("[31m");
    }

    @Test
    void reservedAndQuotedCharactersAreReplaced() {
        assertThat(FileNames.sanitize("a<b>c:d\"e|f?g*h.txt")).isEqualTo("a_b_c_d_e_f_g_h.txt");
        assertThat(FileNames.sanitize("  ...hidden.txt... ")).isEqualTo("hidden.txt");
        assertThat(FileNames.sanitize("CON.txt")).isEqualTo("_CON.txt");
        assertThat(FileNames.sanitize("lpt1")).isEqualTo("_lpt1");
        assertThat(FileNames.sanitize("many    spaces.txt")).isEqualTo("many spaces.txt");
        assertThat(FileNames.sanitize(null)).isEqualTo("file");
        assertThat(FileNames.sanitize("\0\0")).isEqualTo("file");
    }

    @Test
    void unicodeIsNormalisedAndKept() {
        assertThat(FileNames.sanitize("Cafe\u0301 日本.pdf")).isEqualTo("Café 日本.pdf");
    }

    @Test
    void overlongNamesAreShortenedKeepingTheExtension() {
        String name = FileNames.sanitize("x".repeat(5000) + ".pdf");
        assertThat(name).hasSize(FileNames.MAX_LENGTH).endsWith(".pdf").startsWith("xxx");
        String emoji = FileNames.sanitize("😀".repeat(300));
        assertThat(emoji.codePointCount(0, emoji.length())).isEqualTo(FileNames.MAX_LENGTH);
        assertThat(Character.isHighSurrogate(emoji.charAt(emoji.length() - 1))).isFalse();
    }

    @Test
    void extensionIsMadeToMatchTheDetectedType() {
        assertThat(FileNames.withExtension("photo.JPG", MediaType.JPEG)).isEqualTo("photo.JPG");
        assertThat(FileNames.withExtension("photo.png", MediaType.JPEG)).isEqualTo("photo.png.jpg");
        assertThat(FileNames.withExtension("run.bat", MediaType.TEXT)).isEqualTo("run.bat.txt");
        assertThat(FileNames.withExtension("noext", MediaType.PDF)).isEqualTo("noext.pdf");
        assertThat(FileNames.withExtension(null, MediaType.OGG_AUDIO)).isEqualTo("file.ogg");
        assertThat(FileNames.withExtension("y".repeat(400), MediaType.PDF)).hasSize(FileNames.MAX_LENGTH).endsWith(".pdf");
    }

    @Test
    void contentDispositionHasAnAsciiFallbackAndAnRfc5987Name() {
        assertThat(FileNames.contentDisposition("attachment", "report.pdf")).isEqualTo("attachment; filename=\"report.pdf\"");
        assertThat(FileNames.contentDisposition("inline", "naïve 日本.txt"))
                .isEqualTo("inline; filename=\"na_ve __.txt\"; filename*=UTF-8''na%C3%AFve%20%E6%97%A5%E6%9C%AC.txt");
        assertThat(FileNames.contentDisposition("attachment", "a\"b\r\nContent-Type: text.txt"))
                .doesNotContain("\r").doesNotContain("\n").isEqualTo("attachment; filename=\"a_b Content-Type_ text.txt\"");
        assertThat(FileNames.contentDisposition("attachment", "100%.txt"))
                .isEqualTo("attachment; filename=\"100_.txt\"; filename*=UTF-8''100%25.txt");
        assertThatThrownBy(() -> FileNames.contentDisposition("form-data", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
