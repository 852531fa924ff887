package dev.parley.media;

import static dev.parley.media.MediaFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.spi.BlobRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaSnifferTest {
    @TempDir
    Path dir;
    FileSystemBlobStore blobs;

    @BeforeEach
    void open() throws IOException {
        blobs = FileSystemBlobStore.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        blobs.close();
    }

    private MediaType detect(byte[] bytes) throws IOException {
        BlobRef ref = blobs.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
        return MediaSniffer.detect(blobs, ref.id());
    }

    private static MediaType sniff(byte[] bytes) {
        int n = Math.min(bytes.length, MediaSniffer.PREFIX_BYTES);
        return MediaSniffer.sniff(bytes, n, n == bytes.length);
    }

    @Test
    void imagesByMagicNumber() throws IOException {
        assertThat(detect(jpeg(8, 8))).isEqualTo(MediaType.JPEG);
        assertThat(detect(png(8, 8))).isEqualTo(MediaType.PNG);
        assertThat(detect(animatedGif(8, 8, 2, false))).isEqualTo(MediaType.GIF);
        assertThat(detect(resource("lossy.webp"))).isEqualTo(MediaType.WEBP);
        assertThat(detect(resource("lossless.webp"))).isEqualTo(MediaType.WEBP);
        assertThat(detect(box("ftyp", "heic".getBytes(StandardCharsets.US_ASCII), new byte[4],
                "mif1heic".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(MediaType.HEIC);
        assertThat(detect(box("ftyp", "avif".getBytes(StandardCharsets.US_ASCII), new byte[4]))).isEqualTo(MediaType.AVIF);
    }

    @Test
    void officeFilesByZipEntries() throws IOException {
        assertThat(detect(zip("[Content_Types].xml", "_rels/.rels", "word/document.xml"))).isEqualTo(MediaType.DOCX);
        assertThat(detect(zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"))).isEqualTo(MediaType.XLSX);
        assertThat(detect(zip("[Content_Types].xml", "ppt/presentation.xml"))).isEqualTo(MediaType.PPTX);
        assertThat(detect(zip("notes.txt", "photos/a.jpg"))).isEqualTo(MediaType.ZIP);
        assertThat(detect(zip("word/document.xml"))).as("no content types: a plain zip").isEqualTo(MediaType.ZIP);
        assertThat(detect(odf("application/vnd.oasis.opendocument.text"))).isEqualTo(MediaType.ODT);
        assertThat(sniff(odf("application/vnd.oasis.opendocument.spreadsheet"))).isEqualTo(MediaType.ODS);
    }

    @Test
    void javaAndAndroidArchivesAreExecutables() throws IOException {
        assertThat(detect(zip("META-INF/MANIFEST.MF", "com/example/Main.class"))).isEqualTo(MediaType.JAVA_ARCHIVE);
        assertThat(detect(zip("AndroidManifest.xml", "classes.dex", "resources.arsc"))).isEqualTo(MediaType.ANDROID_PACKAGE);
        assertThat(MediaType.JAVA_ARCHIVE.executable()).isTrue();
    }

    @Test
    void legacyOfficeByOle2Streams() throws IOException {
        assertThat(detect(ole2("WordDocument", "1Table"))).isEqualTo(MediaType.DOC);
        assertThat(detect(ole2("Workbook"))).isEqualTo(MediaType.XLS);
        assertThat(detect(ole2("PowerPoint Document"))).isEqualTo(MediaType.PPT);
        assertThat(detect(ole2("SummaryInformation"))).as("e.g. a Windows installer").isEqualTo(MediaType.OLE2);
    }

    @Test
    void truncatedZipIsMalformed() {
        byte[] zip = zip("[Content_Types].xml", "word/document.xml");
        byte[] cut = Arrays.copyOf(zip, zip.length - 30);
        assertThatThrownBy(() -> detect(cut)).isInstanceOf(MediaException.class)
                .extracting(e -> ((MediaException) e).reason()).isEqualTo(MediaException.Reason.MALFORMED);
    }

    @Test
    void textIsValidatedAsUtf8AndMarkupIsSetApart() throws IOException {
        assertThat(detect("hello\r\n\tworld ✓ 日本".getBytes(StandardCharsets.UTF_8))).isEqualTo(MediaType.TEXT);
        assertThat(detect(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "bom".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(MediaType.TEXT);
        assertThat(detect(new byte[0])).isEqualTo(MediaType.TEXT);
        assertThat(detect("a\0b".getBytes(StandardCharsets.UTF_8))).isEqualTo(MediaType.OCTET_STREAM);
        assertThat(detect(new byte[] {'a', (byte) 0xC0, (byte) 0x80})).as("overlong NUL").isEqualTo(MediaType.OCTET_STREAM);
        assertThat(detect(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80})).as("surrogate").isEqualTo(MediaType.OCTET_STREAM);
        assertThat(detect("  <!DOCTYPE html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8))).isEqualTo(MediaType.HTML);
        assertThat(detect("<?xml version=\"1.0\"?>\n<svg onload=\"alert(1)\"/>".getBytes(StandardCharsets.UTF_8))).isEqualTo(MediaType.SVG);
    }

    @Test
    void invalidUtf8AfterThePrefixMakesBinary() throws IOException {
        byte[] bytes = new byte[MediaSniffer.PREFIX_BYTES + 10];
        Arrays.fill(bytes, (byte) 'a');
        bytes[bytes.length - 1] = (byte) 0xFF;
        assertThat(sniff(bytes)).isEqualTo(MediaType.TEXT);
        assertThat(detect(bytes)).isEqualTo(MediaType.OCTET_STREAM);
    }

    @Test
    void programsAreRecognised() throws IOException {
        assertThat(detect(elf())).isEqualTo(MediaType.ELF);
        assertThat(detect(windowsExe())).isEqualTo(MediaType.WINDOWS_EXECUTABLE);
        assertThat(detect(machO())).isEqualTo(MediaType.MACH_O);
        assertThat(detect("#!/bin/sh\nrm -rf ~\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(MediaType.SCRIPT);
        assertThat(detect("MZ is a band I like\n".getBytes(StandardCharsets.US_ASCII))).as("text starting with MZ")
                .isEqualTo(MediaType.TEXT);
    }

    @Test
    void audioAndVideoContainersByTracks() throws IOException {
        byte[] opus = oggOpus(opusPackets(loudThenQuiet(200)), 312);
        assertThat(detect(opus)).isEqualTo(MediaType.OGG_AUDIO);
        assertThat(detect(resource("voice.opus"))).isEqualTo(MediaType.OGG_AUDIO);
        assertThat(detect(chromiumWebm(opusPackets(loudThenQuiet(200)), false))).isEqualTo(MediaType.WEBM_AUDIO);
        assertThat(detect(chromiumWebm(opusPackets(loudThenQuiet(200)), true))).isEqualTo(MediaType.WEBM_VIDEO);
        assertThat(detect(mp4("M4A ", false, 1000, 100))).isEqualTo(MediaType.MP4_AUDIO);
        assertThat(detect(mp4("isom", false, 1000, 100))).as("audio-only isom: moov at the end").isEqualTo(MediaType.MP4_AUDIO);
        assertThat(sniff(mp4("isom", false, 1000, 100))).as("unknown until the tracks are read").isEqualTo(MediaType.MP4_VIDEO);
        assertThat(detect(mp4("isom", true, 1000, 100))).isEqualTo(MediaType.MP4_VIDEO);
        assertThat(detect(mp4("qt  ", true, 1000, 100))).isEqualTo(MediaType.QUICKTIME);
        assertThat(detect(mp3(20, true, false))).isEqualTo(MediaType.MPEG_AUDIO);
        assertThat(detect(mp3(20, false, false))).isEqualTo(MediaType.MPEG_AUDIO);
        assertThat(detect(wav(loudThenQuiet(100)))).isEqualTo(MediaType.WAV);
        assertThat(detect(pdf(2))).isEqualTo(MediaType.PDF);
    }

    @Test
    void mp4CutBeforeItsMovieBoxIsMalformed() {
        byte[] mp4 = mp4("isom", true, 1000, 5000);
        byte[] cut = Arrays.copyOf(mp4, 3000);
        assertThatThrownBy(() -> detect(cut)).isInstanceOf(MediaException.class)
                .extracting(e -> ((MediaException) e).reason()).isEqualTo(MediaException.Reason.MALFORMED);
    }

    @Test
    void randomBytesAreOctetStream() throws IOException {
        byte[] bytes = new byte[1000];
        new java.util.Random(7).nextBytes(bytes);
        bytes[0] = 0x00;
        assertThat(detect(bytes)).isEqualTo(MediaType.OCTET_STREAM);
    }
}
