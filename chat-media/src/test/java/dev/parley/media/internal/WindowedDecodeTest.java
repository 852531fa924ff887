package dev.parley.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.media.MediaInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding only a window per level (what long recordings get) must measure the same loudness as
 * decoding everything: MP3 frames borrow bytes from earlier frames (the bit reservoir) and AAC
 * frames overlap, so each window's decoder has to be primed.
 */
class WindowedDecodeTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = WindowedDecodeTest.class.getResourceAsStream("/media/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void mp3WindowsWithBitReservoirMatchTheFullDecode() throws IOException {
        byte[] mp3 = resource("voice.mp3"); // LAME, bit reservoir in use
        MpegAudio.MpegInfo info = MpegAudio.scan(new ByteArrayInputStream(mp3));
        List<Integer> full = Mp3Waveform.levels(new ByteArrayInputStream(mp3), info, MediaInfo.WAVEFORM_LEVELS,
                Long.MAX_VALUE);
        // Windows of 100 samples: each level is measured on the one frame (1152 samples) at its
        // start, and a third of them follow a skipped frame, so their decoder starts cold.
        List<Integer> windowed = Mp3Waveform.levels(new ByteArrayInputStream(mp3), info, MediaInfo.WAVEFORM_LEVELS,
                64 * 100);
        assertSameLoudness(full, windowed, 15); // a steady tone: only the fade-in of an unprimed decoder would show
    }

    @Test
    void aacWindowsMatchTheFullDecode() throws IOException {
        byte[] m4a = resource("voice.m4a");
        RandomReader in = RandomReader.of(m4a, m4a.length);
        Mp4Parser.Mp4AudioTrack track = Mp4Parser.parse(in, true).audio();
        List<Integer> full = AacWaveform.levels(in, track, MediaInfo.WAVEFORM_LEVELS, Long.MAX_VALUE);
        List<Integer> windowed = AacWaveform.levels(in, track, MediaInfo.WAVEFORM_LEVELS, 64 * 100);
        // ffmpeg's 32 kbit/s AAC wobbles by about 20% from frame to frame on a steady tone, and a
        // window sees one frame where the full decode averages two
        assertSameLoudness(full, windowed, 70);
    }

    private static void assertSameLoudness(List<Integer> full, List<Integer> windowed, int tolerance) {
        assertThat(full).hasSize(MediaInfo.WAVEFORM_LEVELS);
        assertThat(windowed).hasSize(MediaInfo.WAVEFORM_LEVELS);
        for (int i = 0; i < MediaInfo.WAVEFORM_LEVELS; i++) {
            if (i >= 30 && i <= 33) {
                continue; // the loud-to-quiet step falls inside these slices
            }
            assertThat(windowed.get(i)).as("level %d of %s vs %s", i, windowed, full).isCloseTo(full.get(i),
                    org.assertj.core.data.Offset.offset(tolerance));
        }
        assertThat(windowed.subList(2, 30)).allSatisfy(level -> assertThat(level).isGreaterThan(150));
        assertThat(windowed.subList(34, 64)).allSatisfy(level -> assertThat(level).isLessThan(30));
    }
}
