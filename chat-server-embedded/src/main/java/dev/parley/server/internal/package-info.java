/**
 * Implementation of the embedded server: per-socket connections, command dispatch, fan-out,
 * heartbeat and HTTP servlets. Not API: anything here may change in any release.
 */
package dev.parley.server.internal;
