/**
 * The Parley Java client: {@link dev.parley.client.ChatClient} speaks protocol v1 over a
 * WebSocket, exposes commands as futures and server pushes through listeners, reconnects by
 * itself and resumes without gaps or duplicates.
 */
package dev.parley.client;
