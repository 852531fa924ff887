package dev.parley.core.spi;

/**
 * A message the store erased because it expired.
 *
 * @param messageId its id
 * @param seq       its seq (the tombstone keeps it)
 * @since 0.1.0
 */
public record ExpiredMessage(String messageId, long seq) {
}
