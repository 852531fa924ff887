package dev.parley.core.spi;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Small durable records that extensions keep beside the chat data: a named value per
 * conversation (e.g. a group's token gate, as the extension's own text encoding) and
 * single-use claims (e.g. a transaction hash that may back one tip only). The built-in stores
 * implement it; the defaults refuse with {@code unsupported} so that an older store still
 * compiles and fails loudly only when an extension needs this.
 *
 * <pre>{@code
 * store.putConversationExtension(groupId, "web3.gate", json);
 * boolean first = store.claim("web3.tip:1", txHash, userId, now);   // false the second time
 * }</pre>
 *
 * @since 0.1.0
 */
public interface ExtensionStore {

    /** Sets (inserts or replaces) the value {@code name} of a conversation. */
    default void putConversationExtension(String conversationId, String name, String value) {
        throw unsupported();
    }

    /** Removes the value {@code name} of a conversation. @return whether there was one */
    default boolean deleteConversationExtension(String conversationId, String name) {
        throw unsupported();
    }

    /** The value {@code name} of a conversation, or empty. */
    default Optional<String> conversationExtension(String conversationId, String name) {
        throw unsupported();
    }

    /** Every conversation that has a value {@code name}: conversation id to value. */
    default Map<String, String> conversationExtensions(String name) {
        throw unsupported();
    }

    /**
     * Claims {@code key} in {@code namespace} for {@code claimant}, atomically: exactly one of
     * several concurrent claims of one key succeeds, on every node sharing the store.
     *
     * @return {@code true} when the key was free and is now claimed, {@code false} when it was taken
     */
    default boolean claim(String namespace, String key, String claimant, Instant at) {
        throw unsupported();
    }

    /** Frees a claim (when what it was for could not be completed). @return whether it existed */
    default boolean releaseClaim(String namespace, String key) {
        throw unsupported();
    }

    private static ChatException unsupported() {
        return new ChatException(ErrorCode.UNSUPPORTED, "this store does not keep extension data");
    }
}
