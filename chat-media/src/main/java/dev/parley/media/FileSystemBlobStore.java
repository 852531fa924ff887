package dev.parley.media;

import dev.parley.core.ChatException;
import dev.parley.core.spi.BlobInfo;
import dev.parley.core.spi.BlobRef;
import dev.parley.core.spi.BlobStore;
import dev.parley.core.spi.BlobTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link BlobStore}: one file per blob under a root directory.
 *
 * <pre>{@code
 * try (BlobStore blobs = FileSystemBlobStore.open(Path.of("data/blobs"))) {
 *     BlobRef ref = blobs.put(in, 20 << 20);
 * }
 * }</pre>
 *
 * <p>Layout: blob {@code abcd…} lives at {@code <root>/ab/cd/abcd…}; uploads in progress are
 * written to {@code <root>/tmp/} (same filesystem, so the final rename is atomic), then
 * {@code fsync}ed and moved into place with {@link StandardCopyOption#ATOMIC_MOVE}, and the
 * parent directory is {@code fsync}ed. A reader therefore sees a blob completely or not at
 * all, also after a crash. Concurrent puts of the same bytes each write their own temporary
 * file; whichever rename comes last replaces an identical file, which readers that already
 * opened the old one do not notice.
 *
 * <p>A store owns its directory: {@code open} takes an exclusive lock on
 * {@code <root>/.lock} (a second store on the same directory, in this or another process,
 * fails to open) and removes temporary files left by a crash. Sharing one directory between
 * server nodes is not supported; a clustered deployment uses a shared blob service instead.
 *
 * @since 0.1.0
 */
public final class FileSystemBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemBlobStore.class);
    private static final String TEMP_DIR = "tmp";
    private static final String TEMP_SUFFIX = ".part";
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path tempDir;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    private FileSystemBlobStore(Path root, Clock clock, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.tempDir = root.resolve(TEMP_DIR);
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating if needed) a store in {@code root}, using the system clock. */
    public static FileSystemBlobStore open(Path root) throws IOException {
        return open(root, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) a store in {@code root}.
     *
     * @param clock gives {@link BlobInfo#storedAt()}, on a first and on a deduplicated put
     * @throws IOException when the directory cannot be created or another store holds it
     */
    public static FileSystemBlobStore open(Path root, Clock clock) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(clock, "clock");
        Path dir = root.toAbsolutePath().normalize();
        Files.createDirectories(dir.resolve(TEMP_DIR));
        FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("blob directory " + dir + " is already used by another blob store");
        }
        FileSystemBlobStore store = new FileSystemBlobStore(dir, clock, channel, lock);
        store.removeLeftoverTempFiles();
        return store;
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    @Override
    public BlobRef put(InputStream in, long maxBytes) throws IOException {
        Objects.requireNonNull(in, "in");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        }
        ensureOpen();
        MessageDigest sha256 = sha256();
        Path temp = tempDir.resolve(Long.toUnsignedString(random.nextLong(), 36) + TEMP_SUFFIX);
        boolean moved = false;
        try {
            long size = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                // Read at most one byte past the limit: enough to know it is exceeded.
                while ((n = in.read(buffer, 0, chunkLength(buffer.length, maxBytes - size))) != -1) {
                    size += n;
                    if (size > maxBytes) {
                        throw new BlobTooLargeException(maxBytes);
                    }
                    sha256.update(buffer, 0, n);
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
                out.force(true);
            }
            String id = HexFormat.of().formatHex(sha256.digest());
            Path target = pathOf(id);
            if (touchIfPresent(target)) {
                // Deduplicated: the stored copy is kept and marked as just stored, so a sweeper
                // with a grace period does not delete it before the caller references it.
                return new BlobRef(id, size, false);
            }
            Files.createDirectories(target.getParent());
            // storedAt comes from the store's clock for new blobs as for deduplicated ones
            Files.setLastModifiedTime(temp, FileTime.from(clock.instant()));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("blob directory does not support atomic rename: " + root, e);
            } catch (FileAlreadyExistsException e) {
                // A concurrent put of the same bytes won the race on a filesystem whose rename
                // does not replace: its file is identical.
                return new BlobRef(id, size, false);
            }
            moved = true;
            syncDirectory(target.getParent());
            return new BlobRef(id, size, true);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    @Override
    public Optional<BlobInfo> stat(String id) throws IOException {
        BlobStore.requireValidId(id);
        ensureOpen();
        try {
            BasicFileAttributes attributes = Files.readAttributes(pathOf(id), BasicFileAttributes.class);
            return Optional.of(new BlobInfo(id, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String id, long offset) throws IOException {
        BlobStore.requireValidId(id);
        ensureOpen();
        SeekableByteChannel channel;
        try {
            channel = Files.newByteChannel(pathOf(id), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw ChatException.notFound("no blob " + id);
        }
        try {
            long size = channel.size();
            if (offset < 0 || offset > size) {
                throw ChatException.badRequest("offset " + offset + " outside blob of " + size + " bytes");
            }
            channel.position(offset);
            return Channels.newInputStream(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public boolean delete(String id) throws IOException {
        BlobStore.requireValidId(id);
        ensureOpen();
        Path path = pathOf(id);
        boolean deleted = Files.deleteIfExists(path);
        if (deleted) {
            syncDirectory(path.getParent());
        }
        return deleted;
    }

    @Override
    public Stream<BlobInfo> list() throws IOException {
        ensureOpen();
        Stream<Path> files = Files.find(root, 3, (path, attributes) -> attributes.isRegularFile()
                && root.relativize(path).getNameCount() == 3
                && BlobStore.isValidId(path.getFileName().toString())
                && path.equals(pathOf(path.getFileName().toString())));
        return files.map(path -> {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                return Optional.of(new BlobInfo(path.getFileName().toString(), attributes.size(),
                        attributes.lastModifiedTime().toInstant()));
            } catch (NoSuchFileException e) {
                return Optional.<BlobInfo>empty(); // deleted while listing
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).flatMap(Optional::stream);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    /** The file of a validated id. */
    private Path pathOf(String id) {
        return root.resolve(id.substring(0, 2)).resolve(id.substring(2, 4)).resolve(id);
    }

    private boolean touchIfPresent(Path target) throws IOException {
        try {
            Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static int chunkLength(int bufferLength, long remaining) {
        return remaining >= bufferLength ? bufferLength : (int) remaining + 1;
    }

    private void removeLeftoverTempFiles() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tempDir)) {
            for (Path leftover : leftovers) {
                LOG.info("removing unfinished upload {}", leftover.getFileName());
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename or unlink durable. Not every platform can open a directory for
        // reading (Windows cannot); there the rename is as durable as the filesystem makes it.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("blob store is closed");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
