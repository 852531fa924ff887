package dev.parley.web3;

/**
 * Issues and consumes sign-in nonces. A nonce works once, and only until it expires.
 * {@link InMemoryNonceStore} is the built-in implementation.
 */
public interface NonceStore {

    /**
     * @return a fresh unguessable nonce of EIP-4361 form (at least 8 letters and digits)
     * @throws dev.parley.core.ChatException {@code RATE_LIMITED} when no more nonces may be outstanding
     */
    String issue();

    /**
     * Uses up a nonce.
     *
     * @return true when the nonce was issued here, has not expired and was not used before;
     *         it cannot be used again either way
     */
    boolean consume(String nonce);
}
