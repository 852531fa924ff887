package dev.parley.media;

import dev.parley.core.spi.BlobStore;
import dev.parley.tck.BlobStoreContract;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem blob store passes the kit's {@link BlobStoreContract}. */
class FileSystemBlobStoreContractTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStore openStore() throws IOException {
        return FileSystemBlobStore.open(dir);
    }
}
