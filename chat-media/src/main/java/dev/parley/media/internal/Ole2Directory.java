package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The stream and storage names of an OLE2 compound file (legacy Office, MSI), from its directory. */
public final class Ole2Directory {
    private static final long END_OF_CHAIN = 0xFFFFFFFEL;
    private static final int MAX_DIRECTORY_SECTORS = 4096;

    private Ole2Directory() {
    }

    public static Set<String> names(RandomReader in) throws IOException {
        byte[] header = in.readFully(0, 512);
        int shift = Bytes.u16le(header, 30);
        if (shift != 9 && shift != 12 || Bytes.u16le(header, 28) != 0xFFFE) {
            throw malformed("OLE2 header is damaged");
        }
        int sectorSize = 1 << shift;
        int perSector = sectorSize / 4;
        long fatSectors = Bytes.u32le(header, 44);
        long maxSectors = in.size() / sectorSize;
        if (fatSectors > maxSectors) {
            throw malformed("OLE2 FAT is larger than the file");
        }
        List<Long> fat = new ArrayList<>();
        for (int i = 0; i < 109 && fat.size() < fatSectors; i++) {
            fat.add(Bytes.u32le(header, 76 + 4 * i));
        }
        long difat = Bytes.u32le(header, 68);
        int guard = 0;
        while (fat.size() < fatSectors && difat < END_OF_CHAIN && guard++ < maxSectors) {
            byte[] sector = in.readFully((difat + 1) * sectorSize, sectorSize);
            for (int i = 0; i < perSector - 1 && fat.size() < fatSectors; i++) {
                fat.add(Bytes.u32le(sector, 4 * i));
            }
            difat = Bytes.u32le(sector, sectorSize - 4);
        }
        Set<String> names = new HashSet<>();
        Set<Long> seen = new HashSet<>();
        long sector = Bytes.u32le(header, 48);
        while (sector < END_OF_CHAIN && seen.size() < MAX_DIRECTORY_SECTORS) {
            if (!seen.add(sector) || (sector + 2) * sectorSize > in.size()) {
                throw malformed("OLE2 directory chain is damaged");
            }
            byte[] entries = in.readFully((sector + 1) * sectorSize, sectorSize);
            for (int at = 0; at + 128 <= sectorSize; at += 128) {
                int nameBytes = Bytes.u16le(entries, at + 64);
                int type = entries[at + 66];
                if (type != 0 && nameBytes >= 2 && nameBytes <= 64) {
                    names.add(new String(entries, at, nameBytes - 2, StandardCharsets.UTF_16LE));
                }
            }
            int fatIndex = (int) (sector / perSector);
            if (fatIndex >= fat.size()) {
                throw malformed("OLE2 directory chain leaves the FAT");
            }
            byte[] fatSector = in.readFully((fat.get(fatIndex) + 1) * sectorSize, sectorSize);
            sector = Bytes.u32le(fatSector, (int) (sector % perSector) * 4);
        }
        return names;
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
