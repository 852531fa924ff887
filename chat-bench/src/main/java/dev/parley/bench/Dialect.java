package dev.parley.bench;

/**
 * How {@link LoadGenerator} talks to a server under test. All three carry the same JSON
 * message shape (a message's {@code body.text} is {@code "b <sender index> <scheduled nanoTime>"});
 * they differ in framing and in how a client signs in and enters a room:
 * <ul>
 *   <li>{@link #PARLEY}: Parley's protocol on subprotocol {@code parley.v1}; {@code hello} with a
 *   {@code dev:<user>} token; rooms are conversations made with {@code conversation.create};</li>
 *   <li>{@link #WS}: the Node.js {@code ws} baseline ({@code chat-bench/node/ws-server.js}):
 *   plain JSON frames with Parley's command/reply/event shapes, {@code hello}, then
 *   {@code join} per room;</li>
 *   <li>{@link #SOCKET_IO}: the Socket.IO 4 baseline ({@code chat-bench/node/socketio-server.js})
 *   over Engine.IO v4 on the WebSocket transport ({@link EngineIo}): connect with
 *   {@code auth: {token}}, {@code join} and {@code send} events with acks, {@code message}
 *   events in.</li>
 * </ul>
 */
enum Dialect {
    PARLEY, WS, SOCKET_IO
}
