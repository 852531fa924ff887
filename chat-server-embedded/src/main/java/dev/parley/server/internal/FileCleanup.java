package dev.parley.server.internal;

import dev.parley.core.ChatEngine;
import dev.parley.core.spi.BlobInfo;
import dev.parley.core.spi.BlobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what no message needs any more. Every {@code interval}: the engine releases uploads
 * nothing carries ({@link ChatEngine#releaseUploads}) and their blobs go when no upload names
 * them. Every {@code sweepEvery}: every blob of the store that no upload names is deleted, which
 * also catches blobs stored by an upload that failed or crashed before it was registered. A
 * blob younger than {@code grace} is never deleted: storing is deduplicated, so the same bytes
 * may have just been uploaded again and be about to be registered (see {@link BlobStore}).
 */
public final class FileCleanup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileCleanup.class);
    private static final int BATCH = 500;

    private final ChatEngine engine;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration grace;
    private final Duration sweepEvery;
    private final ScheduledExecutorService timer;
    private Instant lastSweep = Instant.MIN;

    public FileCleanup(ChatEngine engine, BlobStore blobs, Duration interval, Duration sweepEvery, Duration grace) {
        this.engine = engine;
        this.blobs = blobs;
        this.clock = engine.clock();
        this.grace = grace;
        this.sweepEvery = sweepEvery;
        this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("parley-file-cleanup"));
        timer.scheduleWithFixedDelay(this::runQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runQuietly() {
        try {
            run();
        } catch (Exception e) {
            log.warn("file cleanup failed; retrying at the next interval", e);
        }
    }

    /** One cleanup pass (also for tests). */
    public synchronized void run() throws IOException {
        int deleted = 0;
        Set<String> released;
        do {
            released = engine.releaseUploads(BATCH);
            for (String id : released) {
                if (deleteIfUnused(id)) {
                    deleted++;
                }
            }
        } while (released.size() == BATCH);
        Instant now = clock.instant();
        if (!now.isBefore(lastSweep.plus(sweepEvery))) {
            lastSweep = now;
            deleted += sweep();
        }
        if (deleted > 0) {
            log.info("file cleanup deleted {} blob(s)", deleted);
        }
    }

    private int sweep() throws IOException {
        int deleted = 0;
        try (Stream<BlobInfo> all = blobs.list()) {
            Iterator<BlobInfo> it = all.iterator();
            while (it.hasNext()) {
                if (deleteIfUnused(it.next().id())) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private boolean deleteIfUnused(String blobId) throws IOException {
        if (engine.store().blobReferenced(blobId)) {
            return false;
        }
        BlobInfo info = blobs.stat(blobId).orElse(null);
        if (info == null || info.storedAt().isAfter(clock.instant().minus(grace))) {
            return false; // gone already, or maybe just uploaded again: the next sweep decides
        }
        return blobs.delete(blobId);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
