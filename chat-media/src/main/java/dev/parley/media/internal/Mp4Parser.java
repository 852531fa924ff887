package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ISO base media file (MP4, M4A, MOV, 3GP, HEIF) box structure: brands, tracks,
 * duration, and on request where the first sound track's samples are, for plain files (sample
 * tables {@code stts stsz stsc stco/co64}) and fragmented ones ({@code moof}/{@code traf} with
 * {@code tfhd trun}, defaults from {@code trex}), as Safari's {@code MediaRecorder} writes them.
 *
 * <p>A box that overruns its parent is {@link MediaException.Reason#MALFORMED} (a truncated
 * file); sample tables that contradict each other only leave the track without a
 * {@link Mp4AudioTrack#samples() sample index}.
 */
public final class Mp4Parser {
    private static final int MAX_BOXES = 200_000;
    private static final int MAX_TABLE_BYTES = 64 << 20;

    /**
     * @param majorBrand       the {@code ftyp} major brand
     * @param compatibleBrands the {@code ftyp} compatible brands
     * @param hasVideo         a track with handler {@code vide}
     * @param hasAudio         a track with handler {@code soun}
     * @param durationMillis   from {@code mvhd}, else {@code mehd}, else the longest track's
     *                         samples less its edit-list start (fragmented files); or null
     * @param width            of the first video track, or 0
     * @param height           of the first video track, or 0
     * @param audio            the first sound track, or null
     */
    public record Mp4Info(String majorBrand, List<String> compatibleBrands, boolean hasVideo, boolean hasAudio,
                          Long durationMillis, int width, int height, Mp4AudioTrack audio) {
        public boolean hasBrand(String brand) {
            return majorBrand.equals(brand) || compatibleBrands.contains(brand);
        }
    }

    /**
     * The first sound track.
     *
     * @param timescale     ticks per second of the track's timeline
     * @param codec         the sample entry type ({@code mp4a}, {@code Opus}, …)
     * @param objectType    the {@code esds} objectTypeIndication (0x40 = MPEG-4 audio, 0x6B = MP3), or 0
     * @param decoderConfig the {@code esds} DecoderSpecificInfo (the AAC AudioSpecificConfig), or empty
     * @param channels      from the sample entry
     * @param startTicks    where presentation starts (edit list media time: the encoder's priming), ≥ 0
     * @param durationTicks presented length from {@code startTicks}, or 0 when unknown
     * @param samples       the sample index when requested and consistent, else null
     */
    public record Mp4AudioTrack(long timescale, String codec, int objectType, byte[] decoderConfig, int channels,
                                long startTicks, long durationTicks, SampleIndex samples) {
    }

    /** What is learned about one {@code trak}. */
    private static final class Track {
        long id;
        String handler;
        int width;
        int height;
        long timescale;
        long mediaDuration;
        long editMediaTime = -1;
        long editDuration;
        long tableTicks;
        long fragmentTicks;
        String codec;
        int objectType;
        byte[] decoderConfig = new byte[0];
        int channels;
        Box stts;
        Box stsz;
        Box stsc;
        Box stco;
        boolean co64;
        SampleIndex samples;
        boolean samplesBroken;

        long ticks() {
            return mediaDuration > 0 ? mediaDuration : tableTicks + fragmentTicks;
        }
    }

    private record Trex(long duration, long size) {
    }

    private final RandomReader in;
    private final boolean withSamples;
    private final List<Track> tracks = new ArrayList<>();
    private final Map<Long, Trex> trex = new HashMap<>();
    private final List<long[]> moofs = new ArrayList<>();
    private int boxes;
    private long movieTimescale;
    private long movieDuration;
    private long fragmentDuration;
    private Track audio;

    private Mp4Parser(RandomReader in, boolean withSamples) {
        this.in = in;
        this.withSamples = withSamples;
    }

    /** Only the {@code ftyp} box; works on an upload's prefix. */
    public static Mp4Info brands(RandomReader in) throws IOException {
        byte[] head = in.readFully(0, 16);
        long size = Bytes.u32be(head, 0);
        if (!Bytes.ascii(head, 16, 4, "ftyp") || size < 16 || size > 4096) {
            throw malformed("MP4 ftyp box is damaged");
        }
        byte[] ftyp = in.readFully(0, (int) size);
        List<String> compatible = new ArrayList<>();
        for (int at = 16; at + 4 <= size; at += 4) {
            compatible.add(Bytes.latin1(ftyp, at, 4));
        }
        return new Mp4Info(Bytes.latin1(ftyp, 8, 4), List.copyOf(compatible), false, false, null, 0, 0, null);
    }

    /** The whole structure without a sample index: needs the whole file ({@code moov} may be at the end). */
    public static Mp4Info parse(RandomReader in) throws IOException {
        return parse(in, false);
    }

    /**
     * The whole structure; with {@code withSamples}, also the first sound track's sample index
     * (its sample tables or fragment runs are read).
     */
    public static Mp4Info parse(RandomReader in, boolean withSamples) throws IOException {
        Mp4Info brands = brands(in);
        Mp4Parser parser = new Mp4Parser(in, withSamples);
        boolean moov = parser.walk(0, in.size(), 0);
        if (!moov) {
            throw malformed("MP4 has no movie box (truncated?)");
        }
        return parser.result(brands);
    }

    private Mp4Info result(Mp4Info brands) throws IOException {
        boolean hasVideo = false;
        boolean hasAudio = false;
        int width = 0;
        int height = 0;
        for (Track track : tracks) {
            if ("vide".equals(track.handler)) {
                if (!hasVideo) {
                    width = track.width;
                    height = track.height;
                }
                hasVideo = true;
            } else if ("soun".equals(track.handler)) {
                hasAudio = true;
                if (audio == null) {
                    audio = track;
                }
            }
        }
        if (audio != null && withSamples && !audio.samplesBroken) {
            if (moofs.isEmpty()) {
                audio.samples = sampleTables(audio);
            } else {
                audio.samples = new SampleIndex();
            }
        }
        for (long[] moof : moofs) {
            fragment(moof[0], moof[1], moof[2]);
        }
        return new Mp4Info(brands.majorBrand(), brands.compatibleBrands(), hasVideo, hasAudio, duration(), width,
                height, audio == null ? null : audioTrack(audio));
    }

    private Long duration() {
        if (movieTimescale > 0 && movieDuration > 0 && movieDuration != 0xFFFFFFFFL) {
            return movieDuration * 1000 / movieTimescale;
        }
        if (movieTimescale > 0 && fragmentDuration > 0) {
            return fragmentDuration * 1000 / movieTimescale;
        }
        Long longest = null;
        for (Track track : tracks) {
            if (track.timescale <= 0) {
                continue;
            }
            long ticks = presentedTicks(track);
            if (ticks > 0) {
                long millis = ticks * 1000 / track.timescale;
                longest = longest == null ? millis : Math.max(longest, millis);
            }
        }
        return longest;
    }

    private long presentedTicks(Track track) {
        long start = Math.max(0, track.editMediaTime);
        long ticks = Math.max(0, track.ticks() - start);
        if (track.editDuration > 0 && movieTimescale > 0) {
            ticks = Math.min(ticks, track.editDuration * track.timescale / movieTimescale);
        }
        return ticks;
    }

    private Mp4AudioTrack audioTrack(Track track) {
        SampleIndex samples = track.samplesBroken || track.samples == null || track.samples.overflowed()
                || track.samples.count() == 0 ? null : track.samples;
        return new Mp4AudioTrack(track.timescale, track.codec, track.objectType, track.decoderConfig, track.channels,
                Math.max(0, track.editMediaTime), presentedTicks(track), samples);
    }

    /** Walks the boxes in [start, end); returns whether a moov box was seen. */
    private boolean walk(long start, long end, int depth) throws IOException {
        boolean moov = false;
        long offset = start;
        while (offset + 8 <= end) {
            Box box = box(offset, end);
            switch (box.type) {
                case "moov" -> {
                    moov = true;
                    walk(box.body, box.end, depth + 1);
                }
                case "mvex" -> walk(box.body, box.end, depth + 1);
                case "trak" -> track(box.body, box.end);
                case "mvhd" -> movieHeader(box.body, box.end);
                case "mehd" -> {
                    byte[] b = in.readFully(box.body, (int) Math.min(box.end - box.body, 12));
                    fragmentDuration = b[0] == 1 && b.length >= 12 ? Bytes.u64be(b, 4) : b.length >= 8 ? Bytes.u32be(b, 4) : 0;
                }
                case "trex" -> {
                    if (box.end - box.body >= 24) {
                        byte[] b = in.readFully(box.body, 24);
                        trex.put(Bytes.u32be(b, 4), new Trex(Bytes.u32be(b, 12), Bytes.u32be(b, 16)));
                    }
                }
                case "moof" -> {
                    if (depth == 0) {
                        moofs.add(new long[] {offset, box.body, box.end});
                    }
                }
                default -> {
                    // other boxes are skipped
                }
            }
            offset = box.end;
        }
        return moov;
    }

    private record Box(String type, long body, long end) {
    }

    /** The box at {@code offset}, which must end by {@code end}. */
    private Box box(long offset, long end) throws IOException {
        if (++boxes > MAX_BOXES) {
            throw malformed("MP4 has too many boxes");
        }
        byte[] header = in.readFully(offset, 8);
        long size = Bytes.u32be(header, 0);
        String type = Bytes.latin1(header, 4, 4);
        int headerLength = 8;
        if (size == 1) {
            size = Bytes.u64be(in.readFully(offset + 8, 8), 0);
            headerLength = 16;
        } else if (size == 0) {
            size = end - offset;
        }
        if (size < headerLength || size > end - offset) {
            throw malformed("MP4 box '" + printable(type) + "' overruns its parent (truncated?)");
        }
        return new Box(type, offset + headerLength, offset + size);
    }

    private void movieHeader(long body, long end) throws IOException {
        byte[] b = in.readFully(body, (int) Math.min(end - body, 32));
        if (b.length >= 32 && b[0] == 1) {
            movieTimescale = Bytes.u32be(b, 20);
            movieDuration = Bytes.u64be(b, 24);
        } else if (b.length >= 20) {
            movieTimescale = Bytes.u32be(b, 12);
            movieDuration = Bytes.u32be(b, 16);
        } else {
            throw malformed("MP4 movie header is too short");
        }
    }

    private void track(long start, long end) throws IOException {
        Track track = new Track();
        tracks.add(track);
        children(track, start, end);
    }

    /** The boxes of a track that matter, at any depth under {@code trak}. */
    private void children(Track track, long start, long end) throws IOException {
        long offset = start;
        while (offset + 8 <= end) {
            Box box = box(offset, end);
            long length = box.end - box.body;
            switch (box.type) {
                case "edts", "mdia", "minf", "stbl" -> children(track, box.body, box.end);
                case "tkhd" -> {
                    byte[] b = in.readFully(box.body, (int) Math.min(length, 96));
                    int idAt = b.length > 0 && b[0] == 1 ? 20 : 12;
                    if (b.length >= idAt + 4) {
                        track.id = Bytes.u32be(b, idAt);
                    }
                    int at = b.length > 0 && b[0] == 1 ? 88 : 76;
                    if (b.length >= at + 8) {
                        track.width = (int) (Bytes.u32be(b, at) >>> 16);
                        track.height = (int) (Bytes.u32be(b, at + 4) >>> 16);
                    }
                }
                case "hdlr" -> {
                    if (length >= 12) {
                        track.handler = Bytes.latin1(in.readFully(box.body + 8, 4), 0, 4);
                    }
                }
                case "mdhd" -> {
                    byte[] b = in.readFully(box.body, (int) Math.min(length, 32));
                    if (b.length >= 32 && b[0] == 1) {
                        track.timescale = Bytes.u32be(b, 20);
                        track.mediaDuration = Bytes.u64be(b, 24);
                    } else if (b.length >= 20) {
                        track.timescale = Bytes.u32be(b, 12);
                        track.mediaDuration = Bytes.u32be(b, 16);
                    }
                    if (track.mediaDuration == 0xFFFFFFFFL || track.mediaDuration < 0) {
                        track.mediaDuration = 0;
                    }
                }
                case "elst" -> editList(track, box.body, length);
                case "stsd" -> sampleDescription(track, box.body, box.end);
                case "stts" -> {
                    track.stts = box;
                    track.tableTicks = timeToSampleTicks(box.body, length);
                }
                case "stsz" -> track.stsz = box;
                case "stsc" -> track.stsc = box;
                case "stco", "co64" -> {
                    track.stco = box;
                    track.co64 = box.type.equals("co64");
                }
                default -> {
                    // other boxes are skipped
                }
            }
            offset = box.end;
        }
    }

    /** The first edit that shows media: where presentation starts, and for how long. */
    private void editList(Track track, long body, long length) throws IOException {
        if (length < 8) {
            return;
        }
        byte[] head = in.readFully(body, 8);
        boolean wide = head[0] == 1;
        long entries = Bytes.u32be(head, 4);
        int entrySize = wide ? 20 : 12;
        long count = Math.min(entries, (length - 8) / entrySize);
        for (int i = 0; i < Math.min(count, 16); i++) {
            byte[] e = in.readFully(body + 8 + (long) i * entrySize, entrySize);
            long segment = wide ? Bytes.u64be(e, 0) : Bytes.u32be(e, 0);
            long mediaTime = wide ? Bytes.u64be(e, 8) : (int) Bytes.u32be(e, 4);
            if (mediaTime >= 0) {
                track.editMediaTime = mediaTime;
                track.editDuration = segment;
                return;
            }
        }
    }

    private long timeToSampleTicks(long body, long length) throws IOException {
        if (length < 8 || length > MAX_TABLE_BYTES) {
            return 0;
        }
        byte[] b = in.readFully(body, (int) length);
        long entries = Math.min(Bytes.u32be(b, 4), (length - 8) / 8);
        long ticks = 0;
        for (int i = 0; i < entries; i++) {
            ticks += Bytes.u32be(b, 8 + i * 8) * Bytes.u32be(b, 12 + i * 8);
        }
        return ticks;
    }

    /** The first sample entry: codec, channels, and for {@code mp4a} the {@code esds} decoder configuration. */
    private void sampleDescription(Track track, long body, long end) throws IOException {
        if (end - body < 16) {
            return;
        }
        Box entry = box(body + 8, end);
        track.codec = Bytes.latin1(in.readFully(body + 12, 4), 0, 4);
        long fields = entry.body + 8; // reserved (6) and data reference index (2)
        if (!"soun".equals(track.handler) || entry.end - fields < 20) {
            return;
        }
        byte[] sound = in.readFully(fields, 20);
        int version = Bytes.u16be(sound, 0);
        track.channels = Bytes.u16be(sound, 8);
        long children = fields + 20 + (version == 1 ? 16 : version == 2 ? 36 : 0);
        esds(track, children, entry.end);
    }

    private void esds(Track track, long start, long end) throws IOException {
        long offset = start;
        while (offset + 8 <= end) {
            Box box = box(offset, end);
            if (box.type.equals("wave")) {
                esds(track, box.body, box.end); // QuickTime puts esds inside a wave box
            } else if (box.type.equals("esds") && box.end - box.body > 4 && box.end - box.body < 4096) {
                byte[] b = in.readFully(box.body + 4, (int) (box.end - box.body - 4));
                descriptors(track, b, 0, b.length);
            }
            offset = box.end;
        }
    }

    /** ES_Descriptor (3) → DecoderConfigDescriptor (4) → DecoderSpecificInfo (5). */
    private static void descriptors(Track track, byte[] b, int start, int end) {
        int at = start;
        while (at + 2 <= end) {
            int tag = b[at++] & 0xFF;
            int length = 0;
            for (int k = 0; k < 4 && at < end; k++) {
                int v = b[at++] & 0xFF;
                length = length << 7 | v & 0x7F;
                if ((v & 0x80) == 0) {
                    break;
                }
            }
            int bodyEnd = Math.min(end, at + length);
            switch (tag) {
                case 3 -> {
                    if (at + 3 > bodyEnd) {
                        return;
                    }
                    int flags = b[at + 2] & 0xFF;
                    int inner = at + 3 + ((flags & 0x80) != 0 ? 2 : 0);
                    if ((flags & 0x40) != 0 && inner < bodyEnd) {
                        inner += 1 + (b[inner] & 0xFF);
                    }
                    inner += (flags & 0x20) != 0 ? 2 : 0;
                    descriptors(track, b, inner, bodyEnd);
                }
                case 4 -> {
                    if (at + 13 > bodyEnd) {
                        return;
                    }
                    track.objectType = b[at] & 0xFF;
                    descriptors(track, b, at + 13, bodyEnd);
                }
                case 5 -> track.decoderConfig = java.util.Arrays.copyOfRange(b, at, bodyEnd);
                default -> {
                    // SLConfig and others are not needed
                }
            }
            at = bodyEnd;
        }
    }

    /** The sample index of a plain (unfragmented) track, or null when its tables disagree. */
    private SampleIndex sampleTables(Track track) throws IOException {
        if (track.stts == null || track.stsz == null || track.stsc == null || track.stco == null) {
            return null;
        }
        byte[] stsz = table(track.stsz, 12);
        byte[] stsc = table(track.stsc, 8);
        byte[] stco = table(track.stco, 8);
        byte[] stts = table(track.stts, 8);
        if (stsz == null || stsc == null || stco == null || stts == null) {
            return null;
        }
        long fixedSize = Bytes.u32be(stsz, 4);
        long sampleCount = Bytes.u32be(stsz, 8);
        if (fixedSize == 0 && (stsz.length - 12) / 4 < sampleCount) {
            return null;
        }
        long chunks = Bytes.u32be(stco, 4);
        int offsetSize = track.co64 ? 8 : 4;
        long runs = Bytes.u32be(stsc, 4);
        long timeRuns = Bytes.u32be(stts, 4);
        if ((stco.length - 8) / offsetSize < chunks || (stsc.length - 8) / 12 < runs || (stts.length - 8) / 8 < timeRuns
                || runs == 0) {
            return null;
        }
        SampleIndex index = new SampleIndex();
        int sample = 0;
        int run = 0;
        int timeRun = 0;
        long leftInTimeRun = timeRuns > 0 ? Bytes.u32be(stts, 8) : 0;
        for (long chunk = 1; chunk <= chunks && sample < sampleCount; chunk++) {
            while (run + 1 < runs && Bytes.u32be(stsc, 8 + (run + 1) * 12) <= chunk) {
                run++;
            }
            long perChunk = Bytes.u32be(stsc, 8 + run * 12 + 4);
            int at = 8 + (int) (chunk - 1) * offsetSize;
            long offset = track.co64 ? Bytes.u64be(stco, at) : Bytes.u32be(stco, at);
            for (long k = 0; k < perChunk && sample < sampleCount; k++, sample++) {
                long size = fixedSize != 0 ? fixedSize : Bytes.u32be(stsz, 12 + sample * 4);
                while (leftInTimeRun == 0 && timeRun + 1 < timeRuns) {
                    timeRun++;
                    leftInTimeRun = Bytes.u32be(stts, 8 + timeRun * 8);
                }
                if (leftInTimeRun == 0) {
                    return null; // more samples than the time table covers
                }
                leftInTimeRun--;
                long duration = Bytes.u32be(stts, 12 + timeRun * 8);
                if (offset < 0 || offset + size > in.size() || !index.add(offset, size, duration)) {
                    return null;
                }
                offset += size;
            }
        }
        return sample == sampleCount ? index : null;
    }

    /** A whole full box body of at least {@code minimum} bytes, or null when it is shorter or huge. */
    private byte[] table(Box box, int minimum) throws IOException {
        long length = box.end - box.body;
        if (length < minimum || length > MAX_TABLE_BYTES) {
            return null;
        }
        return in.readFully(box.body, (int) length);
    }

    /** One {@code moof}: adds its runs' durations to their tracks, and its audio samples to the index. */
    private void fragment(long moofStart, long start, long end) throws IOException {
        long previousDataEnd = moofStart;
        boolean first = true;
        long offset = start;
        while (offset + 8 <= end) {
            Box traf = box(offset, end);
            if (traf.type.equals("traf")) {
                previousDataEnd = trackFragment(moofStart, first ? moofStart : previousDataEnd, traf.body, traf.end);
                first = false;
            }
            offset = traf.end;
        }
    }

    /** Returns where this track fragment's data ends. */
    private long trackFragment(long moofStart, long implicitBase, long start, long end) throws IOException {
        Track track = null;
        long base = implicitBase;
        long defaultDuration = 0;
        long defaultSize = 0;
        long dataEnd = implicitBase;
        boolean firstRun = true;
        long offset = start;
        while (offset + 8 <= end) {
            Box box = box(offset, end);
            long length = box.end - box.body;
            if (box.type.equals("tfhd") && length >= 8) {
                byte[] b = in.readFully(box.body, (int) Math.min(length, 40));
                int flags = (int) (Bytes.u32be(b, 0) & 0xFFFFFF);
                long id = Bytes.u32be(b, 4);
                track = tracks.stream().filter(t -> t.id == id).findFirst().orElse(null);
                Trex defaults = trex.getOrDefault(id, new Trex(0, 0));
                defaultDuration = defaults.duration();
                defaultSize = defaults.size();
                int at = 8;
                if ((flags & 0x01) != 0 && b.length >= at + 8) {
                    base = Bytes.u64be(b, at);
                    at += 8;
                } else if ((flags & 0x20000) != 0) {
                    base = moofStart;
                }
                at += (flags & 0x02) != 0 ? 4 : 0;
                if ((flags & 0x08) != 0 && b.length >= at + 4) {
                    defaultDuration = Bytes.u32be(b, at);
                    at += 4;
                }
                if ((flags & 0x10) != 0 && b.length >= at + 4) {
                    defaultSize = Bytes.u32be(b, at);
                }
                dataEnd = base;
            } else if (box.type.equals("trun") && length >= 8 && track != null) {
                if (length > MAX_TABLE_BYTES) {
                    throw malformed("MP4 fragment run is too large");
                }
                byte[] b = in.readFully(box.body, (int) length);
                int flags = (int) (Bytes.u32be(b, 0) & 0xFFFFFF);
                long count = Bytes.u32be(b, 4);
                int at = 8;
                long data = firstRun ? base : dataEnd;
                if ((flags & 0x01) != 0) {
                    if (b.length < at + 4) {
                        throw malformed("MP4 fragment run is truncated");
                    }
                    data = base + (int) Bytes.u32be(b, at);
                    at += 4;
                }
                at += (flags & 0x04) != 0 ? 4 : 0;
                int entry = Integer.bitCount(flags & 0xF00) * 4;
                if (count * entry > b.length - at) {
                    throw malformed("MP4 fragment run overruns its box");
                }
                boolean index = track == audio && track.samples != null && !track.samplesBroken;
                for (long i = 0; i < count; i++) {
                    long duration = defaultDuration;
                    long size = defaultSize;
                    if ((flags & 0x100) != 0) {
                        duration = Bytes.u32be(b, at);
                        at += 4;
                    }
                    if ((flags & 0x200) != 0) {
                        size = Bytes.u32be(b, at);
                        at += 4;
                    }
                    at += ((flags & 0x400) != 0 ? 4 : 0) + ((flags & 0x800) != 0 ? 4 : 0);
                    track.fragmentTicks += duration;
                    if (index && (data < 0 || data + size > in.size() || !track.samples.add(data, size, duration))) {
                        track.samplesBroken = true;
                        index = false;
                    }
                    data += size;
                }
                dataEnd = data;
                firstRun = false;
            }
            offset = box.end;
        }
        return dataEnd;
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? type : "?";
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
