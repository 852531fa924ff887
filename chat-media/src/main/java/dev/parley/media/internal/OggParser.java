package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads an Ogg file page by page: the codecs of its logical streams (from their first pages),
 * the duration of the first audio stream (its last granule position), and, when asked, its
 * packets. Page checksums are not verified; a damaged packet is the decoder's problem.
 */
public final class OggParser {
    private static final int MAX_PACKET = 1 << 20;

    /** Receives the audio stream's packets after its headers. */
    @FunctionalInterface
    public interface PacketSink {
        void packet(byte[] data, int length);
    }

    /**
     * @param codec          first audio stream's codec: {@code opus}, {@code vorbis}, {@code flac},
     *                       {@code speex}, or null when there is none
     * @param hasVideo       a Theora or other video stream is present
     * @param channels       channels of an Opus or Vorbis stream, or 0
     * @param preSkip        Opus pre-skip in 48 kHz samples
     * @param sampleRate     granule rate of the audio stream (48000 for Opus), or 0 when unknown
     * @param durationMillis from the last granule position, or null when unknown or a prefix
     */
    public record OggInfo(String codec, boolean hasVideo, int channels, int preSkip, long sampleRate,
                          Long durationMillis) {
    }

    private OggParser() {
    }

    /** Codecs from the beginning-of-stream pages; works on a prefix. */
    public static OggInfo head(InputStream in) throws IOException {
        return read(in, false, null);
    }

    /** The whole file, handing the first audio stream's packets to {@code sink} (may be null). */
    public static OggInfo parse(InputStream in, PacketSink sink) throws IOException {
        return read(in, true, sink);
    }

    private static OggInfo read(InputStream in, boolean whole, PacketSink sink) throws IOException {
        String codec = null;
        boolean hasVideo = false;
        int channels = 0;
        int preSkip = 0;
        long rate = 0;
        long audioSerial = -1;
        long lastGranule = -1;
        int packetIndex = 0;
        Set<Long> serials = new HashSet<>();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        byte[] header = new byte[27];
        boolean inHeaders = true;
        while (true) {
            int n = in.readNBytes(header, 0, 27);
            if (n == 0) {
                break;
            }
            if (n < 27) {
                if (!whole) {
                    break;
                }
                throw malformed("Ogg page header is truncated");
            }
            if (!Bytes.ascii(header, 27, 0, "OggS") || header[4] != 0) {
                throw malformed("Ogg page does not start with OggS");
            }
            int type = header[5];
            long granule = Bytes.u64le(header, 6);
            long serial = Bytes.u32le(header, 14);
            int segments = header[26] & 0xFF;
            byte[] lacing = in.readNBytes(segments);
            int bodyLength = 0;
            for (byte l : lacing) {
                bodyLength += l & 0xFF;
            }
            byte[] body = in.readNBytes(bodyLength);
            if (lacing.length < segments || body.length < bodyLength) {
                if (!whole) {
                    break;
                }
                throw malformed("Ogg page is truncated");
            }
            boolean beginning = (type & 0x02) != 0;
            if (beginning) {
                serials.add(serial);
                String streamCodec = identify(body);
                if (streamCodec.equals("theora") || streamCodec.equals("video")) {
                    hasVideo = true;
                } else if (codec == null && !streamCodec.equals("unknown")) {
                    codec = streamCodec;
                    audioSerial = serial;
                    if (codec.equals("opus") && body.length >= 19) {
                        channels = body[9] & 0xFF;
                        preSkip = Bytes.u16le(body, 10);
                        rate = 48_000;
                    } else if (codec.equals("vorbis") && body.length >= 16) {
                        channels = body[11] & 0xFF;
                        rate = Bytes.u32le(body, 12);
                    }
                }
            } else if (inHeaders) {
                inHeaders = false;
                if (!whole) {
                    break;
                }
            }
            if (serial != audioSerial) {
                continue;
            }
            if (granule != -1) {
                lastGranule = granule;
            }
            if (sink == null) {
                continue;
            }
            int at = 0;
            for (byte l : lacing) {
                int length = l & 0xFF;
                if (packet.size() + length > MAX_PACKET) {
                    throw malformed("Ogg packet is too large");
                }
                packet.write(body, at, length);
                at += length;
                if (length < 255) {
                    // Opus: packet 0 is OpusHead, 1 is OpusTags; audio follows.
                    if (packetIndex++ >= 2) {
                        sink.packet(packet.toByteArray(), packet.size());
                    }
                    packet.reset();
                }
            }
        }
        if (whole && codec == null && !hasVideo) {
            throw malformed("Ogg file has no stream Parley knows");
        }
        Long duration = null;
        if (whole && rate > 0 && lastGranule >= 0) {
            duration = Math.max(0, lastGranule - preSkip) * 1000 / rate;
        }
        return new OggInfo(codec, hasVideo, channels, preSkip, rate, duration);
    }

    private static String identify(byte[] packet) {
        int length = packet.length;
        if (Bytes.ascii(packet, length, 0, "OpusHead")) {
            return "opus";
        }
        if (Bytes.ascii(packet, length, 1, "vorbis") && length > 0 && packet[0] == 1) {
            return "vorbis";
        }
        if (Bytes.ascii(packet, length, 1, "FLAC") && length > 0 && (packet[0] & 0xFF) == 0x7F) {
            return "flac";
        }
        if (Bytes.ascii(packet, length, 0, "Speex   ")) {
            return "speex";
        }
        if (Bytes.ascii(packet, length, 1, "theora") && length > 0 && (packet[0] & 0xFF) == 0x80
                || Bytes.ascii(packet, length, 1, "daala") || Bytes.ascii(packet, length, 0, "\u0080kate")) {
            return "theora";
        }
        return "unknown";
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }

}
