package dev.parley.web3.chain;

import java.time.Instant;

/**
 * The outcome of checking an NFT avatar.
 *
 * @param asset     the NFT
 * @param owner     the wallet address checked, or {@code null} when the user has none
 * @param status    what the chain said
 * @param checkedAt when it was asked
 * @param detail    why, for {@link AvatarStatus#NOT_OWNED} and {@link AvatarStatus#UNVERIFIABLE}; else {@code null}
 * @since 0.1.0
 */
public record AvatarCheck(AssetId asset, String owner, AvatarStatus status, Instant checkedAt, String detail) {
}
