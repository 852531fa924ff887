/**
 * The Parley conformance kit: JUnit 5 contract tests that an implementation of a Parley SPI
 * extends in its own test tree to prove it behaves like the built-in ones.
 *
 * <p>Add {@code dev.parley:chat-tck} as a test dependency, extend the contracts of the SPI you
 * implement and give each one a factory method; everything else (fixtures, lifecycle, the
 * tests) comes with the contract:
 * <pre>{@code
 * class MyChatStoreTest extends ChatStoreContract {
 *     @Override
 *     protected ChatStore openStore() {
 *         return MyStore.open(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>Store contracts ({@link dev.parley.core.spi.ChatStore} is covered by several, one per
 * group of features, so a failure names the feature):
 * <ul>
 *   <li>{@link dev.parley.tck.ChatStoreContract}: users, conversations, members, appends
 *       (seq, idempotency, commit callbacks), history, cursors, conversation lists;</li>
 *   <li>{@link dev.parley.tck.SocialStoreContract}: profiles, user search, relations, privacy;</li>
 *   <li>{@link dev.parley.tck.MessageFeaturesContract}: edits, deletion, reactions, pins;</li>
 *   <li>{@link dev.parley.tck.GroupStoreContract}: roles, removals, settings, mutes, bans, invites;</li>
 *   <li>{@link dev.parley.tck.SearchExpiryContract}: full-text search and message expiry;</li>
 *   <li>{@link dev.parley.tck.SystemMentionsContract}: system messages and mentions;</li>
 *   <li>{@link dev.parley.tck.AccountStoreContract}: {@link dev.parley.core.spi.AccountStore}.</li>
 * </ul>
 * Contracts of the other SPIs (the broker first) join this package with the same shape: one
 * abstract factory method, the contract owns the lifecycle.
 *
 * <p>The in-memory reference implementations of chat-core ({@code dev.parley.core.local}) pass
 * every contract; the kit's own tests run them.
 *
 * @since 0.1.0
 */
package dev.parley.tck;
