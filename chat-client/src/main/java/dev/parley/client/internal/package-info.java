/**
 * Implementation of the Java client. Not API: anything here may change in any release.
 */
package dev.parley.client.internal;
