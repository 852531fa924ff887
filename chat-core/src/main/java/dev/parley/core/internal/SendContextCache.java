package dev.parley.core.internal;

import dev.parley.core.spi.SendContext;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The per-conversation facts a send needs (conversation, member ids, whether the two
 * members of a direct conversation block each other), kept so the send path does not read
 * the store every time. The engine invalidates an entry whenever it changes membership and
 * drops everything when a block changes; a load that raced with an invalidation is not kept.
 * The block flag is the same for both members of a direct conversation, so one entry serves
 * every sender.
 */
public final class SendContextCache {
    private final int maxEntries;
    private final ConcurrentHashMap<String, SendContext> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** @param maxEntries 0 disables the cache */
    public SendContextCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * The cached context, or a loaded one. A context loaded for a sender who is not a member is
     * returned but not kept: its block flag was computed for that outsider, not for the members
     * the entry serves.
     */
    /** Whether caching is on (a size of 0 turns it off, for every per-conversation cache of the engine). */
    public boolean enabled() {
        return maxEntries > 0;
    }

    public Optional<SendContext> get(String conversationId, String senderId, Supplier<Optional<SendContext>> load) {
        if (maxEntries == 0) {
            return load.get();
        }
        SendContext cached = entries.get(conversationId);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = generation.get();
        Optional<SendContext> loaded = load.get();
        if (loaded.isPresent() && loaded.get().memberIds().contains(senderId)) {
            if (entries.size() >= maxEntries) {
                entries.clear(); // crude but bounded; a miss only costs one read
            }
            entries.put(conversationId, loaded.get());
            if (generation.get() != before) {
                entries.remove(conversationId); // an invalidation ran during the load
            }
        }
        return loaded;
    }

    public void invalidate(String conversationId) {
        generation.incrementAndGet();
        entries.remove(conversationId);
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }
}
