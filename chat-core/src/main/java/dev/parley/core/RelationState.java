package dev.parley.core;

/**
 * One user's stance toward another; stored per direction (owner → other).
 * Friendship is two {@link #FRIENDS} rows; a pending request is one {@link #REQUESTED} row
 * from the requester; a block is one {@link #BLOCKED} row from the blocker.
 */
public enum RelationState {
    REQUESTED, FRIENDS, BLOCKED
}
