/** Implementation of {@code dev.parley.store.jdbc}; not API, may change in any release. */
package dev.parley.store.jdbc.internal;
