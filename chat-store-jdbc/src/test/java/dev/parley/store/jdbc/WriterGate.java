package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.NewMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the store's writer thread inside a commit callback, so that everything appended
 * meanwhile is committed together in the next batch.
 */
final class WriterGate implements AutoCloseable {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    final CompletableFuture<AppendResult> blocker;

    WriterGate(ChatStore store, NewMessage message) {
        blocker = store.append(message, r -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("writer reached the gate").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    void open() {
        release.countDown();
    }

    @Override
    public void close() {
        open();
    }
}
