package dev.parley.media;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builds test files in memory: images with ImageIO, containers and headers by hand. */
final class MediaFixtures {
    private MediaFixtures() {
    }

    static byte[] resource(String name) {
        try (InputStream in = MediaFixtures.class.getResourceAsStream("/media/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- images ----

    static BufferedImage picture(int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(alpha ? new Color(255, 0, 0, 128) : Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    static byte[] png(int width, int height) {
        return write(picture(width, height, false), "png");
    }

    /** A PNG of random pixels: does not compress, so its size is about 3 bytes a pixel. */
    static byte[] noisyPng(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        return write(image, "png");
    }

    static byte[] pngWithAlpha(int width, int height) {
        return write(picture(width, height, true), "png");
    }

    static byte[] jpeg(int width, int height) {
        return write(picture(width, height, false), "jpeg");
    }

    static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG whose IHDR claims the given size, with a tiny IDAT: a decompression-bomb header. */
    static byte[] pngHeader(long width, long height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt((int) width).putInt((int) height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        out.writeBytes(pngChunk("IHDR", ihdr.array()));
        out.writeBytes(pngChunk("IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        chunk.putInt((int) crc.getValue());
        return chunk.array();
    }

    /** Inserts chunks right after IHDR. */
    static byte[] pngWith(byte[] png, byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        for (byte[] chunk : chunks) {
            out.writeBytes(chunk);
        }
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** An EXIF APP1 segment body ("Exif\0\0" + TIFF) with an orientation and a GPS IFD. */
    static byte[] exifWithGps(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(80).order(ByteOrder.BIG_ENDIAN);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        tiff.putShort((short) 2); // IFD0: orientation, GPS pointer
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
        tiff.putInt(0);
        // GPS IFD at 38: latitude ref "N", a marker string we can search for
        tiff.putShort((short) 1);
        tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        tiff.putInt(0);
        byte[] gpsMarker = "GPS-SECRET-48.85N".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.write(tiff.array(), 0, tiff.position());
        out.writeBytes(gpsMarker);
        return out.toByteArray();
    }

    static byte[] jpegSegment(int marker, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(marker);
        out.write((body.length + 2) >> 8);
        out.write((body.length + 2) & 0xFF);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Inserts segments right after SOI and appends {@code trailer} after EOI. */
    static byte[] jpegWith(byte[] jpeg, byte[] trailer, byte[]... segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (byte[] segment : segments) {
            out.writeBytes(segment);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        out.writeBytes(trailer);
        return out.toByteArray();
    }

    /** A JPEG with EXIF (orientation + GPS), XMP, an ICC profile, IPTC, a comment and a trailer. */
    static byte[] jpegWithMetadata(int width, int height, int orientation) {
        return jpegWith(jpeg(width, height), "TRAILER-WITH-GPS".getBytes(StandardCharsets.US_ASCII),
                jpegSegment(0xE1, exifWithGps(orientation)),
                jpegSegment(0xE1, ("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS-XMP-SECRET</x:xmpmeta>")
                        .getBytes(StandardCharsets.US_ASCII)),
                jpegSegment(0xE2, ("ICC_PROFILE\0\1\1" + "fake-profile").getBytes(StandardCharsets.US_ASCII)),
                jpegSegment(0xED, "Photoshop 3.0\08BIM-IPTC-SECRET".getBytes(StandardCharsets.US_ASCII)),
                jpegSegment(0xFE, "COMMENT-SECRET".getBytes(StandardCharsets.US_ASCII)));
    }

    /** A JPEG whose frame header claims {@code width}x{@code height}, after {@code padding} bytes of APP segments. */
    static byte[] jpegHeader(int width, int height, int padding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        while (padding > 0) {
            int body = Math.min(65_000, padding);
            out.writeBytes(jpegSegment(0xE3, new byte[body]));
            padding -= body;
        }
        out.writeBytes(jpegSegment(0xC0, new byte[] {8, (byte) (height >> 8), (byte) height, (byte) (width >> 8),
                (byte) width, 1, 1, 0x11, 0}));
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    /** An animated GIF of {@code frames} frames, with a comment and an XMP application extension. */
    static byte[] animatedGif(int width, int height, int frames, boolean withMetadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames; i++) {
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = frame.createGraphics();
                g.setColor(i % 2 == 0 ? Color.GREEN : Color.MAGENTA);
                g.fillRect(0, 0, width, height);
                g.dispose();
                ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
                IIOMetadata metadata = writer.getDefaultImageMetadata(type, null);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                IIOMetadataNode apps = new IIOMetadataNode("ApplicationExtensions");
                IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                loop.setAttribute("applicationID", "NETSCAPE");
                loop.setAttribute("authenticationCode", "2.0");
                loop.setUserObject(new byte[] {1, 0, 0});
                apps.appendChild(loop);
                root.appendChild(apps);
                if (withMetadata && i == 0) {
                    IIOMetadataNode comments = new IIOMetadataNode("CommentExtensions");
                    IIOMetadataNode comment = new IIOMetadataNode("CommentExtension");
                    comment.setAttribute("value", "GIF-COMMENT-SECRET");
                    comments.appendChild(comment);
                    root.appendChild(comments);
                }
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
            writer.dispose();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!withMetadata) {
            return bytes.toByteArray();
        }
        // ImageIO writes no application extension but NETSCAPE: add an XMP one by hand.
        byte[] gif = bytes.toByteArray();
        int at = firstImageDescriptor(gif);
        byte[] xmp = "<x:xmpmeta>GIF-XMP-SECRET</x:xmpmeta>".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(gif, 0, at);
        out.writeBytes(new byte[] {0x21, (byte) 0xFF, 11});
        out.writeBytes("XMP DataXMP".getBytes(StandardCharsets.US_ASCII));
        out.write(xmp.length);
        out.writeBytes(xmp);
        out.write(0);
        out.write(gif, at, gif.length - at);
        return out.toByteArray();
    }

    /** Offset of the first image descriptor (0x2C) of a GIF. */
    static int firstImageDescriptor(byte[] gif) {
        int at = 13 + ((gif[10] & 0x80) != 0 ? 3 * (1 << ((gif[10] & 7) + 1)) : 0);
        while (gif[at] == 0x21) {
            at += 2;
            while (gif[at] != 0) {
                at += (gif[at] & 0xFF) + 1;
            }
            at++;
        }
        return at;
    }

    // ---- audio and video ----

    /** Mono 48 kHz PCM: a 440 Hz sine, loud for the first half, quiet for the second. */
    static short[] loudThenQuiet(int millis) {
        int samples = millis * 48;
        short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            double amplitude = i < samples / 2 ? 20_000 : 500;
            pcm[i] = (short) (amplitude * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
        }
        return pcm;
    }

    /** Opus packets of 20 ms (960 samples) encoded with Concentus. */
    static List<byte[]> opusPackets(short[] pcm) {
        try {
            OpusEncoder encoder = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(24_000);
            List<byte[]> packets = new ArrayList<>();
            byte[] buffer = new byte[1500];
            for (int at = 0; at + 960 <= pcm.length; at += 960) {
                int n = encoder.encode(pcm, at, 960, buffer, 0, buffer.length);
                packets.add(java.util.Arrays.copyOf(buffer, n));
            }
            return packets;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] opusHead(int channels, int preSkip) {
        ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) channels)
                .putShort((short) preSkip).putInt(48_000).putShort((short) 0).put((byte) 0);
        return head.array();
    }

    /** An Ogg/Opus file, one packet per page, with correct page checksums. */
    static byte[] oggOpus(List<byte[]> packets, int preSkip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int serial = 0x1234;
        int sequence = 0;
        out.writeBytes(oggPage(2, 0, serial, sequence++, opusHead(1, preSkip)));
        ByteBuffer tags = ByteBuffer.allocate(8 + 4 + 6 + 4).order(ByteOrder.LITTLE_ENDIAN);
        tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(6).put("parley".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        out.writeBytes(oggPage(0, 0, serial, sequence++, tags.array()));
        long granule = preSkip;
        for (int i = 0; i < packets.size(); i++) {
            granule += 960;
            out.writeBytes(oggPage(i == packets.size() - 1 ? 4 : 0, granule, serial, sequence++, packets.get(i)));
        }
        return out.toByteArray();
    }

    static byte[] oggPage(int type, long granule, int serial, int sequence, byte[] packet) {
        int segments = packet.length / 255 + 1;
        ByteBuffer page = ByteBuffer.allocate(27 + segments + packet.length).order(ByteOrder.LITTLE_ENDIAN);
        page.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) type).putLong(granule)
                .putInt(serial).putInt(sequence).putInt(0).put((byte) segments);
        for (int i = 0; i < segments - 1; i++) {
            page.put((byte) 255);
        }
        page.put((byte) (packet.length % 255));
        page.put(packet);
        byte[] bytes = page.array();
        int crc = oggCrc(bytes);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(22, crc);
        return bytes;
    }

    private static int oggCrc(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xFF) << 24;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80000000) != 0 ? crc << 1 ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }

    static byte[] ebml(long id, byte[]... children) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] child : children) {
            body.writeBytes(child);
        }
        return ebmlElement(id, body.toByteArray(), false);
    }

    static byte[] ebmlUnknownSize(long id, byte[]... children) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] child : children) {
            body.writeBytes(child);
        }
        return ebmlElement(id, body.toByteArray(), true);
    }

    static byte[] ebmlUint(long id, long value) {
        return ebmlElement(id, ByteBuffer.allocate(8).putLong(value).array(), false);
    }

    static byte[] ebmlString(long id, String value) {
        return ebmlElement(id, value.getBytes(StandardCharsets.US_ASCII), false);
    }

    static byte[] ebmlBytes(long id, byte[] value) {
        return ebmlElement(id, value, false);
    }

    private static byte[] ebmlElement(long id, byte[] body, boolean unknownSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int idLength = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        for (int i = idLength - 1; i >= 0; i--) {
            out.write((int) (id >> (8 * i)));
        }
        if (unknownSize) {
            out.writeBytes(new byte[] {0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        } else {
            long size = body.length;
            out.write(0x01); // 8-byte size
            for (int i = 6; i >= 0; i--) {
                out.write((int) (size >> (8 * i)));
            }
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * A WebM laid out as Chromium's MediaRecorder writes it: unknown-size segment and clusters,
     * no duration, Opus in SimpleBlocks; optionally a VP8 video track too.
     */
    static byte[] chromiumWebm(List<byte[]> opusPackets, boolean withVideo) {
        List<byte[]> trackEntries = new ArrayList<>();
        trackEntries.add(ebml(0xAE, ebmlUint(0xD7, 1), ebmlUint(0x83, 2), ebmlString(0x86, "A_OPUS"),
                ebmlBytes(0x63A2, opusHead(1, 312)), ebml(0xE1, ebmlUint(0x9F, 1))));
        if (withVideo) {
            trackEntries.add(ebml(0xAE, ebmlUint(0xD7, 2), ebmlUint(0x83, 1), ebmlString(0x86, "V_VP8"),
                    ebml(0xE0, ebmlUint(0xB0, 640), ebmlUint(0xBA, 480))));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ebml(0x1A45DFA3L, ebmlUint(0x4286, 1), ebmlString(0x4282, "webm"), ebmlUint(0x4287, 4)));
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        segment.writeBytes(ebml(0x1549A966L, ebmlUint(0x2AD7B1, 1_000_000), ebmlString(0x4D80, "Chrome")));
        segment.writeBytes(ebml(0x1654AE6BL, trackEntries.toArray(new byte[0][])));
        // Clusters of 50 packets (one second), each of unknown size.
        for (int start = 0; start < opusPackets.size(); start += 50) {
            List<byte[]> children = new ArrayList<>();
            children.add(ebmlUint(0xE7, start * 20L));
            for (int i = start; i < Math.min(start + 50, opusPackets.size()); i++) {
                byte[] packet = opusPackets.get(i);
                int relative = (i - start) * 20;
                ByteBuffer block = ByteBuffer.allocate(4 + packet.length);
                block.put((byte) 0x81).putShort((short) relative).put((byte) 0x80).put(packet);
                children.add(ebmlBytes(0xA3, block.array()));
                if (withVideo && i % 5 == 0) {
                    ByteBuffer video = ByteBuffer.allocate(4 + 100);
                    video.put((byte) 0x82).putShort((short) relative).put((byte) 0x80);
                    children.add(ebmlBytes(0xA3, video.array()));
                }
            }
            ByteArrayOutputStream cluster = new ByteArrayOutputStream();
            byte[] head = ebmlUnknownSize(0x1F43B675L);
            cluster.writeBytes(head);
            children.forEach(cluster::writeBytes);
            segment.writeBytes(cluster.toByteArray());
        }
        out.writeBytes(ebmlUnknownSize(0x18538067L));
        out.writeBytes(segment.toByteArray());
        return out.toByteArray();
    }

    static byte[] box(String type, byte[]... children) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] child : children) {
            body.writeBytes(child);
        }
        ByteBuffer box = ByteBuffer.allocate(8 + body.size());
        box.putInt(8 + body.size()).put(type.getBytes(StandardCharsets.US_ASCII)).put(body.toByteArray());
        return box.array();
    }

    /** An MP4 with its movie box at the end (not "fast start"), audio track, and a video track if asked. */
    static byte[] mp4(String brand, boolean video, long durationMillis, int mdatBytes) {
        byte[] ftyp = box("ftyp", brand.getBytes(StandardCharsets.US_ASCII), new byte[4], "isomiso2mp41".getBytes(StandardCharsets.US_ASCII));
        byte[] mvhd = box("mvhd", ByteBuffer.allocate(100).putInt(0).putInt(0).putInt(0).putInt(1000).putInt((int) durationMillis).array());
        List<byte[]> tracks = new ArrayList<>();
        tracks.add(track("soun", 0, 0));
        if (video) {
            tracks.add(track("vide", 1280, 720));
        }
        List<byte[]> moovChildren = new ArrayList<>();
        moovChildren.add(mvhd);
        moovChildren.addAll(tracks);
        return concat(ftyp, box("mdat", new byte[mdatBytes]), box("moov", moovChildren.toArray(new byte[0][])));
    }

    private static byte[] track(String handler, int width, int height) {
        ByteBuffer tkhd = ByteBuffer.allocate(84);
        tkhd.position(76);
        tkhd.putInt(width << 16).putInt(height << 16);
        byte[] hdlr = box("hdlr", ByteBuffer.allocate(24).putInt(0).putInt(0).put(handler.getBytes(StandardCharsets.US_ASCII)).array());
        return box("trak", box("tkhd", tkhd.array()), box("mdia", box("mdhd", new byte[24]), hdlr));
    }

    /**
     * A plain M4A (movie box first) holding the given AAC frames, 1024 samples each, in one chunk,
     * with an edit list that skips {@code priming} samples, as ffmpeg and Apple write them.
     */
    static byte[] aacMp4(byte[] audioSpecificConfig, List<byte[]> frames, int sampleRate, int priming) {
        byte[] ftyp = box("ftyp", "M4A ".getBytes(StandardCharsets.US_ASCII), new byte[4], "M4A isommp42".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream mdat = new ByteArrayOutputStream();
        frames.forEach(mdat::writeBytes);
        byte[] moov = aacMoov(audioSpecificConfig, frames, sampleRate, priming, 0);
        long offset = ftyp.length + moov.length + 8;
        moov = aacMoov(audioSpecificConfig, frames, sampleRate, priming, offset);
        return concat(ftyp, moov, box("mdat", mdat.toByteArray()));
    }

    private static byte[] aacMoov(byte[] asc, List<byte[]> frames, int rate, int priming, long offset) {
        long ticks = frames.size() * 1024L;
        int millis = (int) ((ticks - priming) * 1000 / rate);
        byte[] mvhd = box("mvhd", ByteBuffer.allocate(100).putInt(0).putInt(0).putInt(0).putInt(1000).putInt(millis).array());
        ByteBuffer tkhd = ByteBuffer.allocate(84).putInt(0).putInt(0).putInt(0).putInt(1);
        byte[] elst = box("elst", ByteBuffer.allocate(20).putInt(0).putInt(1).putInt(millis).putInt(priming).putInt(0x10000).array());
        byte[] mdhd = box("mdhd", ByteBuffer.allocate(24).putInt(0).putInt(0).putInt(0).putInt(rate).putInt((int) ticks).array());
        byte[] hdlr = box("hdlr", ByteBuffer.allocate(24).putInt(0).putInt(0).put("soun".getBytes(StandardCharsets.US_ASCII)).array());
        byte[] decoderSpecific = concat(new byte[] {5, (byte) asc.length}, asc);
        byte[] decoderConfig = concat(new byte[] {4, (byte) (13 + decoderSpecific.length), 0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                decoderSpecific);
        byte[] es = concat(new byte[] {3, (byte) (3 + decoderConfig.length + 3), 0, 1, 0}, decoderConfig, new byte[] {6, 1, 2});
        byte[] esds = box("esds", new byte[4], es);
        byte[] mp4a = box("mp4a", ByteBuffer.allocate(28).putInt(0).putShort((short) 0).putShort((short) 1).putLong(0)
                .putShort((short) 1).putShort((short) 16).putInt(0).putInt(rate << 16).array(), esds);
        byte[] stsd = box("stsd", ByteBuffer.allocate(8).putInt(0).putInt(1).array(), mp4a);
        byte[] stts = box("stts", ByteBuffer.allocate(16).putInt(0).putInt(1).putInt(frames.size()).putInt(1024).array());
        byte[] stsc = box("stsc", ByteBuffer.allocate(20).putInt(0).putInt(1).putInt(1).putInt(frames.size()).putInt(1).array());
        ByteBuffer sizes = ByteBuffer.allocate(12 + 4 * frames.size()).putInt(0).putInt(0).putInt(frames.size());
        frames.forEach(frame -> sizes.putInt(frame.length));
        byte[] stsz = box("stsz", sizes.array());
        byte[] stco = box("stco", ByteBuffer.allocate(12).putInt(0).putInt(1).putInt((int) offset).array());
        byte[] stbl = box("stbl", stsd, stts, stsc, stsz, stco);
        byte[] trak = box("trak", box("tkhd", tkhd.array()), box("edts", elst), box("mdia", mdhd, hdlr, box("minf", stbl)));
        return box("moov", mvhd, trak);
    }

    /** MPEG-1 layer III, 128 kbit/s, 44.1 kHz frames (417 bytes, zero payload), after an ID3v2 tag. */
    static byte[] mp3(int frames, boolean withId3, boolean withXing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (withId3) {
            out.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 20});
            out.writeBytes(new byte[20]);
        }
        for (int i = 0; i < frames; i++) {
            byte[] frame = new byte[417];
            frame[0] = (byte) 0xFF;
            frame[1] = (byte) 0xFB;
            frame[2] = (byte) 0x90;
            frame[3] = (byte) 0x00;
            if (withXing && i == 0) {
                System.arraycopy("Info".getBytes(StandardCharsets.US_ASCII), 0, frame, 36, 4);
                frame[43] = 0x01; // frames field present
                ByteBuffer.wrap(frame, 44, 4).putInt(frames * 10); // claims ten times as many: proves it is read
            }
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    static byte[] wav(short[] pcm) {
        ByteBuffer wav = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(48_000).putInt(96_000).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length * 2);
        for (short s : pcm) {
            wav.putShort(s);
        }
        return wav.array();
    }

    // ---- documents ----

    static byte[] zip(String... names) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(("content of " + name).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An OpenDocument file: a stored "mimetype" entry first. */
    static byte[] odf(String mimeType) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            byte[] type = mimeType.getBytes(StandardCharsets.US_ASCII);
            ZipEntry entry = new ZipEntry("mimetype");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(type.length);
            CRC32 crc = new CRC32();
            crc.update(type);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(type);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("content.xml"));
            zip.write("<office:document-content/>".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("META-INF/manifest.xml"));
            zip.write("<manifest/>".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A minimal OLE2 compound file (512-byte sectors: FAT in sector 0, directory in sector 1) with these streams. */
    static byte[] ole2(String... streams) {
        ByteBuffer file = ByteBuffer.allocate(512 * 3).order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1});
        file.position(24);
        file.putShort((short) 0x3E).putShort((short) 3).putShort((short) 0xFFFE).putShort((short) 9).putShort((short) 6);
        file.position(44);
        file.putInt(1).putInt(1).putInt(0).putInt(4096).putInt(0xFFFFFFFE).putInt(0).putInt(0xFFFFFFFE).putInt(0);
        file.putInt(0); // DIFAT[0]: the FAT is sector 0
        for (int i = 1; i < 109; i++) {
            file.putInt(0xFFFFFFFF);
        }
        file.position(512);
        file.putInt(0xFFFFFFFD).putInt(0xFFFFFFFE);
        for (int i = 2; i < 128; i++) {
            file.putInt(0xFFFFFFFF);
        }
        List<String> names = new ArrayList<>();
        names.add("Root Entry");
        names.addAll(List.of(streams));
        for (int i = 0; i < names.size() && i < 4; i++) {
            int at = 1024 + 128 * i;
            byte[] name = (names.get(i) + "\0").getBytes(StandardCharsets.UTF_16LE);
            file.position(at);
            file.put(name);
            file.putShort(at + 64, (short) name.length);
            file.put(at + 66, (byte) (i == 0 ? 5 : 2));
        }
        return file.array();
    }

    static byte[] pdf(int pages) {
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages; i++) {
            kids.append(3 + i).append(" 0 R ");
        }
        return ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [" + kids
                + "] /Count " + pages + " >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- programs ----

    static byte[] elf() {
        byte[] b = new byte[64];
        b[0] = 0x7F;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        b[4] = 2;
        return b;
    }

    static byte[] windowsExe() {
        byte[] b = new byte[256];
        b[0] = 'M';
        b[1] = 'Z';
        b[2] = (byte) 0x90;
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0x3C, 0x80);
        b[0x80] = 'P';
        b[0x81] = 'E';
        return b;
    }

    static byte[] machO() {
        byte[] b = new byte[64];
        b[0] = (byte) 0xCF;
        b[1] = (byte) 0xFA;
        b[2] = (byte) 0xED;
        b[3] = (byte) 0xFE;
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }
}
