/**
 * The Parley server: {@link dev.parley.server.ChatServer} runs embedded Jetty with the
 * WebSocket endpoint and the HTTP API; {@link dev.parley.server.ChatEndpoint} and
 * {@link dev.parley.server.HandshakeFilter} mount the same endpoint in a servlet container the
 * host application already runs.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder().port(8080).start()) {
 *     // ws://127.0.0.1:8080/ws, subprotocol parley.v1
 * }
 * }</pre>
 */
package dev.parley.server;
