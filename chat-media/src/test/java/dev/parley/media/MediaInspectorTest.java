package dev.parley.media;

import static dev.parley.media.MediaFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatException;
import dev.parley.core.spi.BlobRef;
import dev.parley.media.internal.Mp4Parser;
import dev.parley.media.internal.RandomReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaInspectorTest {
    @TempDir
    Path dir;
    FileSystemBlobStore blobs;
    MediaInspector inspector = new MediaInspector(MediaPolicy.defaults());

    @BeforeEach
    void open() throws IOException {
        blobs = FileSystemBlobStore.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        blobs.close();
    }

    private MediaInfo inspect(byte[] bytes) throws IOException {
        BlobRef ref = blobs.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
        return inspector.inspect(blobs, ref.id());
    }

    /** Loud first half, quiet second half: the waveform must say so. */
    private static void assertLoudThenQuiet(List<Integer> waveform) {
        assertThat(waveform).hasSize(MediaInfo.WAVEFORM_LEVELS);
        double firstHalf = waveform.subList(4, 28).stream().mapToInt(Integer::intValue).average().orElseThrow();
        double secondHalf = waveform.subList(36, 60).stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertThat(waveform).allSatisfy(level -> assertThat(level).isBetween(0, 255));
        assertThat(waveform.stream().mapToInt(Integer::intValue).max().orElseThrow()).isEqualTo(255);
        assertThat(firstHalf).isGreaterThan(150);
        assertThat(secondHalf).isLessThan(30);
    }

    @Test
    void oggOpusFromOpusencHasDurationAndWaveform() throws IOException {
        MediaInfo info = inspect(resource("voice.opus"));
        assertThat(info.type()).isEqualTo(MediaType.OGG_AUDIO);
        assertThat(info.durationMillis()).isBetween(1990L, 2010L);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void oggOpusBuiltWithConcentusHasDurationAndWaveform() throws IOException {
        MediaInfo info = inspect(oggOpus(opusPackets(loudThenQuiet(3000)), 312));
        assertThat(info.durationMillis()).isEqualTo(3000);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void chromiumWebmWithoutDurationIsTimedByItsBlocks() throws IOException {
        MediaInfo info = inspect(chromiumWebm(opusPackets(loudThenQuiet(2500)), false));
        assertThat(info.type()).isEqualTo(MediaType.WEBM_AUDIO);
        assertThat(info.durationMillis()).as("2.5 s of blocks minus the 312-sample codec delay is not declared here")
                .isEqualTo(2500);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void longRecordingIsMeasuredInWindows() throws IOException {
        // 4 minutes: over the two-minute decode budget, so each slice is sampled at its start.
        // Encoding four minutes is slow: repeat one loud and one quiet packet from a short encode.
        List<byte[]> sample = opusPackets(loudThenQuiet(2000));
        List<byte[]> packets = new java.util.ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            packets.add(i < 6000 ? sample.get(40) : sample.get(90));
        }
        MediaInfo info = inspect(oggOpus(packets, 312));
        assertThat(info.durationMillis()).isEqualTo(240_000);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void webmVideoHasDimensionsAndDuration() throws IOException {
        MediaInfo info = inspect(chromiumWebm(opusPackets(loudThenQuiet(1000)), true));
        assertThat(info.type()).isEqualTo(MediaType.WEBM_VIDEO);
        assertThat(info.width()).isEqualTo(640);
        assertThat(info.height()).isEqualTo(480);
        assertThat(info.durationMillis()).isEqualTo(1000);
    }

    @Test
    void mp4DurationAndDimensionsComeFromTheMovieBox() throws IOException {
        MediaInfo video = inspect(mp4("isom", true, 12_345, 1000));
        assertThat(video.durationMillis()).isEqualTo(12_345);
        assertThat(video.width()).isEqualTo(1280);
        assertThat(video.height()).isEqualTo(720);
        MediaInfo audio = inspect(mp4("M4A ", false, 61_000, 1000));
        assertThat(audio.type()).isEqualTo(MediaType.MP4_AUDIO);
        assertThat(audio.durationMillis()).isEqualTo(61_000);
        assertThat(audio.waveform()).as("no sample description: nothing to decode").isEmpty();
    }

    @Test
    void mp3DurationFromFramesOrFromItsInfoHeader() throws IOException {
        // 100 frames of 1152 samples at 44.1 kHz = 2612 ms
        assertThat(inspect(mp3(100, true, false)).durationMillis()).isEqualTo(2612);
        assertThat(inspect(mp3(100, false, false)).durationMillis()).isEqualTo(2612);
        assertThat(inspect(mp3(100, true, true)).durationMillis()).as("Info header claims 1000 frames").isEqualTo(26_122);
    }

    @Test
    void aacInMp4FromFfmpegHasDurationAndWaveform() throws IOException {
        MediaInfo info = inspect(resource("voice.m4a"));
        assertThat(info.type()).isEqualTo(MediaType.MP4_AUDIO);
        assertThat(info.durationMillis()).isEqualTo(2000);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void fragmentedMp4LikeSafarisIsTimedByItsFragmentRuns() throws IOException {
        // mvhd and mdhd say 0, as in Safari's MediaRecorder output; no edit list, so ffmpeg's
        // 1024 priming samples count: 97,024 samples at 48 kHz.
        MediaInfo info = inspect(resource("voice-fragmented.m4a"));
        assertThat(info.type()).isEqualTo(MediaType.MP4_AUDIO);
        assertThat(info.durationMillis()).isEqualTo(2021);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void aacWithNoiseSubstitutionHasDurationButNoWaveform() throws IOException {
        // jcodec's AAC decoder turns PNS bands into NaN: better no waveform than a silent one.
        MediaInfo info = inspect(resource("voice-pns.m4a"));
        assertThat(info.durationMillis()).isEqualTo(2000);
        assertThat(info.waveform()).isEmpty();
    }

    @Test
    void aacSilencePaddedToConstantBitrateIsSilenceNotAFailure() throws IOException {
        byte[] voice = resource("voice.m4a");
        Mp4Parser.Mp4AudioTrack track = aacTrack(voice);
        // A mono AAC-LC frame coding no band: SCE, gain 100, long window, max_sfb 0, no tools, END;
        // padded with zeros after END to 100 bytes, as a constant-bitrate encoder pads silence.
        byte[] silence = new byte[100];
        System.arraycopy(new byte[] {0x03, 0x20, 0x00, 0x07}, 0, silence, 0, 4);
        List<byte[]> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 94; i++) {
            int at = (int) track.samples().offset(Math.min(i, 40));
            frames.add(i < 47 ? java.util.Arrays.copyOfRange(voice, at, at + track.samples().size(Math.min(i, 40))) : silence);
        }
        MediaInfo info = inspect(aacMp4(track.decoderConfig(), frames, 48_000, 1024));
        assertThat(info.waveform()).hasSize(MediaInfo.WAVEFORM_LEVELS);
        assertThat(info.waveform().subList(4, 28)).allSatisfy(level -> assertThat(level).isGreaterThan(150));
        assertThat(info.waveform().subList(36, 64)).allSatisfy(level -> assertThat(level).isZero());
    }

    @Test
    void mp3FromLameIsTimedExactlyByItsLameTagAndHasWaveform() throws IOException {
        MediaInfo info = inspect(resource("voice.mp3"));
        assertThat(info.type()).isEqualTo(MediaType.MPEG_AUDIO);
        assertThat(info.durationMillis()).as("frames x 1152 less encoder delay and padding").isEqualTo(2000);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void mp3WithCrcAndJointStereoHasWaveform() throws IOException {
        MediaInfo info = inspect(resource("voice-crc-stereo.mp3"));
        assertThat(info.durationMillis()).isEqualTo(2000);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void longMp3IsMeasuredInWindows() throws IOException {
        // 4 minutes of 24 kHz frames (576 samples) without bit reservoir: repeat a loud and a quiet frame.
        List<byte[]> frames = mp3Frames(resource("voice-crc-stereo.mp3"), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            out.writeBytes(frames.get(i < 5000 ? 20 : 60));
        }
        MediaInfo info = inspect(out.toByteArray());
        assertThat(info.durationMillis()).isEqualTo(240_000);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void longAacIsMeasuredInWindows() throws IOException {
        // 4 minutes: 11,250 frames of 1024 samples at 48 kHz, a loud one then a quiet one repeated.
        Mp4Parser.Mp4AudioTrack track = aacTrack(resource("voice.m4a"));
        byte[] voice = resource("voice.m4a");
        byte[] loud = java.util.Arrays.copyOfRange(voice, (int) track.samples().offset(20),
                (int) track.samples().offset(20) + track.samples().size(20));
        byte[] quiet = java.util.Arrays.copyOfRange(voice, (int) track.samples().offset(70),
                (int) track.samples().offset(70) + track.samples().size(70));
        List<byte[]> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 11_250; i++) {
            frames.add(i < 5625 ? loud : quiet);
        }
        MediaInfo info = inspect(aacMp4(track.decoderConfig(), frames, 48_000, 0));
        assertThat(info.type()).isEqualTo(MediaType.MP4_AUDIO);
        assertThat(info.durationMillis()).isEqualTo(240_000);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void aacRebuiltWithItsEditListKeepsTheWaveformAligned() throws IOException {
        byte[] voice = resource("voice.m4a");
        Mp4Parser.Mp4AudioTrack track = aacTrack(voice);
        List<byte[]> frames = new java.util.ArrayList<>();
        for (int i = 0; i < track.samples().count(); i++) {
            int at = (int) track.samples().offset(i);
            frames.add(java.util.Arrays.copyOfRange(voice, at, at + track.samples().size(i)));
        }
        MediaInfo info = inspect(aacMp4(track.decoderConfig(), frames, 48_000, 1024));
        assertThat(info.durationMillis()).isEqualTo(2005); // 95 whole frames less 1024 priming samples
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void damagedAacFramesAreSkipped() throws IOException {
        byte[] voice = resource("voice.m4a");
        Mp4Parser.Mp4AudioTrack track = aacTrack(voice);
        java.util.Random random = new java.util.Random(7);
        for (int i = 50; i < track.samples().count(); i += 3) { // garbage in the quiet half
            int at = (int) track.samples().offset(i);
            for (int k = 0; k < track.samples().size(i); k++) {
                voice[at + k] = (byte) random.nextInt();
            }
        }
        MediaInfo info = inspect(voice);
        assertThat(info.durationMillis()).isEqualTo(2000);
        assertThat(info.waveform()).hasSize(MediaInfo.WAVEFORM_LEVELS);
        assertThat(info.waveform().subList(4, 28)).allSatisfy(level -> assertThat(level).isGreaterThan(100));
    }

    @Test
    void damagedMp3FramesAreSkipped() throws IOException {
        byte[] voice = resource("voice.mp3");
        List<byte[]> frames = mp3Frames(voice, true);
        java.util.Random random = new java.util.Random(7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i).clone();
            if (i > 46 && i % 3 == 0) {
                for (int k = 4; k < frame.length; k++) { // keep the header, so the walk goes on
                    frame[k] = (byte) random.nextInt();
                }
            }
            out.writeBytes(frame);
        }
        MediaInfo info = inspect(out.toByteArray());
        assertThat(info.durationMillis()).isEqualTo(2000);
        assertThat(info.waveform()).hasSize(MediaInfo.WAVEFORM_LEVELS);
        assertThat(info.waveform().subList(4, 28)).allSatisfy(level -> assertThat(level).isGreaterThan(100));
    }

    @Test
    void truncatedMp3KeepsWhatItHasAndTruncatedMp4IsMalformed() throws IOException {
        byte[] mp3 = resource("voice.mp3");
        MediaInfo cut = inspect(Arrays.copyOf(mp3, mp3.length / 2 + 77)); // ends inside a frame
        assertThat(cut.durationMillis()).as("from the LAME tag").isEqualTo(2000);
        assertThat(cut.waveform()).hasSize(MediaInfo.WAVEFORM_LEVELS);
        assertThat(cut.waveform().subList(4, 28)).allSatisfy(level -> assertThat(level).isGreaterThan(150));
        assertThat(cut.waveform().subList(36, 64)).allSatisfy(level -> assertThat(level).isZero());
        for (String name : List.of("voice.m4a", "voice-fragmented.m4a")) {
            byte[] m4a = resource(name);
            assertThatThrownBy(() -> inspect(Arrays.copyOf(m4a, m4a.length - 300))).as(name)
                    .isInstanceOf(MediaException.class)
                    .extracting(e -> ((MediaException) e).reason()).isEqualTo(MediaException.Reason.MALFORMED);
        }
    }

    @Test
    void aacSampleTablePointingPastTheEndLeavesDurationWithoutWaveform() throws IOException {
        byte[] voice = resource("voice.m4a");
        Mp4Parser.Mp4AudioTrack track = aacTrack(voice);
        List<byte[]> frames = new java.util.ArrayList<>();
        for (int i = 0; i < track.samples().count(); i++) {
            int at = (int) track.samples().offset(i);
            frames.add(java.util.Arrays.copyOfRange(voice, at, at + track.samples().size(i)));
        }
        byte[] mp4 = aacMp4(track.decoderConfig(), frames, 48_000, 1024);
        int stco = new String(mp4, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("stco");
        java.nio.ByteBuffer.wrap(mp4, stco + 12, 4).putInt(mp4.length - 100); // the chunk now runs past the end
        MediaInfo info = inspect(mp4);
        assertThat(info.durationMillis()).isEqualTo(2005);
        assertThat(info.waveform()).isEmpty();
    }

    private static Mp4Parser.Mp4AudioTrack aacTrack(byte[] mp4) throws IOException {
        return Mp4Parser.parse(RandomReader.of(mp4, mp4.length), true).audio();
    }

    /** The frames of an MP3 split by their headers, with or without its first (LAME Info) frame. */
    private static List<byte[]> mp3Frames(byte[] mp3, boolean withInfoFrame) {
        List<byte[]> frames = new java.util.ArrayList<>();
        int at = 0;
        if (mp3[0] == 'I' && mp3[1] == 'D' && mp3[2] == '3') {
            at = 10 + ((mp3[6] & 0x7F) << 21 | (mp3[7] & 0x7F) << 14 | (mp3[8] & 0x7F) << 7 | mp3[9] & 0x7F);
        }
        while (at + 4 <= mp3.length && (mp3[at] & 0xFF) == 0xFF) {
            boolean mpeg1 = (mp3[at + 1] & 0x08) != 0;
            int[] rates = mpeg1 ? new int[] {44_100, 48_000, 32_000} : new int[] {22_050, 24_000, 16_000};
            int[] bitrates = mpeg1 ? new int[] {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
                    : new int[] {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
            int bitrate = bitrates[(mp3[at + 2] >> 4) & 0x0F] * 1000;
            int rate = rates[(mp3[at + 2] >> 2) & 0x03];
            int length = (mpeg1 ? 144 : 72) * bitrate / rate + ((mp3[at + 2] >> 1) & 1);
            frames.add(Arrays.copyOfRange(mp3, at, at + length));
            at += length;
        }
        return withInfoFrame ? frames : frames.subList(1, frames.size());
    }

    @Test
    void wavHasDurationAndWaveformFromItsSamples() throws IOException {
        MediaInfo info = inspect(wav(loudThenQuiet(2000)));
        assertThat(info.durationMillis()).isEqualTo(2000);
        assertLoudThenQuiet(info.waveform());
    }

    @Test
    void pdfPageCount() throws IOException {
        assertThat(inspect(pdf(3)).pageCount()).isEqualTo(3);
        assertThat(inspect("%PDF-1.7\n% object streams only\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).pageCount())
                .isNull();
    }

    @Test
    void imageHeadersGiveDimensionsWithoutDecoding() throws IOException {
        MediaInfo png = inspect(pngHeader(4000, 3000));
        assertThat(png.width()).isEqualTo(4000);
        assertThat(png.height()).isEqualTo(3000);
        assertThat(png.animated()).isFalse();
        assertThat(inspect(resource("lossless.webp")).width()).isEqualTo(64);
        assertThat(inspect(resource("lossy.webp")).height()).isEqualTo(48);
        assertThat(inspect(animatedGif(20, 10, 2, false)).animated()).isTrue();
        assertThat(inspect(jpegHeader(300, 200, 70_000)).width()).isEqualTo(300);
    }

    @Test
    void imageBombIsRefusedByTheInspectorToo() throws IOException {
        BlobRef ref = blobs.put(new ByteArrayInputStream(pngHeader(100_000, 100_000)), Long.MAX_VALUE);
        assertThatThrownBy(() -> inspector.inspect(blobs, ref.id())).isInstanceOf(MediaException.class)
                .extracting(e -> ((MediaException) e).reason()).isEqualTo(MediaException.Reason.DIMENSIONS_TOO_LARGE);
    }

    @Test
    void truncatedContainersAreMalformed() throws IOException {
        byte[] webm = chromiumWebm(opusPackets(loudThenQuiet(1000)), false);
        assertThatThrownBy(() -> inspect(Arrays.copyOf(webm, webm.length - 5))).isInstanceOf(MediaException.class)
                .extracting(e -> ((MediaException) e).reason()).isEqualTo(MediaException.Reason.MALFORMED);
        byte[] wav = wav(loudThenQuiet(100));
        assertThatThrownBy(() -> inspect(Arrays.copyOf(wav, 30))).isInstanceOf(MediaException.class);
    }

    @Test
    void unknownBlobIsNotFound() {
        assertThatThrownBy(() -> inspector.inspect(blobs, "a".repeat(64))).isInstanceOf(ChatException.class)
                .extracting(e -> ((ChatException) e).code()).isEqualTo(dev.parley.core.ErrorCode.NOT_FOUND);
    }
}
