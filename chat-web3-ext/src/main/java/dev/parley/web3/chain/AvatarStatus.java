package dev.parley.web3.chain;

/**
 * What the chain says about a user's NFT avatar.
 *
 * @since 0.1.0
 */
public enum AvatarStatus {
    /** The user's wallet owns the token (ERC-721 {@code ownerOf}, ERC-1155 {@code balanceOf} ≥ 1). */
    VERIFIED,
    /** The wallet does not own it (any more), or the token does not exist: show it as unverified. */
    NOT_OWNED,
    /** Could not be checked: no endpoint, endpoint down, no such contract, or the user has no wallet. */
    UNVERIFIABLE
}
