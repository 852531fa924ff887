package dev.parley.it.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One user sending as fast as acknowledgements come back, one send in flight, round robin over
 * its conversations. A send whose connection is lost (the server was killed) is retried with
 * the same {@code clientMsgId} on the next server until it is acknowledged; every seventh
 * acknowledged send is repeated on purpose, as a client does when an ack is lost. Stops, once
 * {@code stop} is set, after its pending send is acknowledged.
 */
final class StormClient implements Runnable {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private final String userId;
    private final List<String> conversationIds;
    private final Supplier<URI> server;
    private final SendLedger ledger;
    private final AtomicBoolean stop;
    private final long deadlineNanos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The send being attempted: its clientMsgId is fixed for every retry. */
    private final class Pending {
        final String clientMsgId;
        final String conversationId;
        final String text;
        int lostInGeneration = -1;

        Pending(int n) {
            this.clientMsgId = userId + "-" + n;
            this.conversationId = conversationIds.get(n % conversationIds.size());
            this.text = "message " + n + " from " + userId;
        }

        ObjectNode command() {
            ObjectNode send = RawSocket.JSON.createObjectNode()
                    .put("type", "send")
                    .put("conversationId", conversationId)
                    .put("clientMsgId", clientMsgId);
            send.putObject("body").put("text", text);
            return send;
        }
    }

    StormClient(String userId, List<String> conversationIds, Supplier<URI> server, SendLedger ledger,
                AtomicBoolean stop, long deadlineNanos) {
        this.userId = userId;
        this.conversationIds = List.copyOf(conversationIds);
        this.server = server;
        this.ledger = ledger;
        this.stop = stop;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void run() {
        RawSocket socket = null;
        Pending pending = null;
        int sent = 0;
        try {
            while (System.nanoTime() < deadlineNanos) {
                if (pending == null) {
                    if (stop.get()) {
                        return;
                    }
                    pending = new Pending(++sent);
                }
                if (socket == null) {
                    socket = connect();
                    if (socket == null) {
                        pause(20);
                        continue;
                    }
                }
                int generation = ledger.generation();
                JsonNode reply;
                try {
                    reply = socket.request(pending.command(), REPLY_TIMEOUT);
                } catch (RawSocket.ConnectionLost e) {
                    socket.close();
                    socket = null;
                    pending.lostInGeneration = generation;
                    continue;
                }
                JsonNode error = reply.get("error");
                if (error != null) {
                    if (!error.path("retryable").asBoolean()) {
                        ledger.problem(userId + " send " + pending.clientMsgId + " refused: " + reply);
                        pending = null;
                    } else {
                        pause(Math.max(10, error.path("retryAfterMs").asLong(10)));
                    }
                    continue;
                }
                ledger.acked(userId, pending.clientMsgId, pending.conversationId, reply.path("message"),
                        pending.lostInGeneration);
                if (sent % 7 == 0) {
                    try {
                        JsonNode again = socket.request(pending.command(), REPLY_TIMEOUT);
                        if (again.has("error")) {
                            ledger.problem(userId + " repeated send " + pending.clientMsgId + " refused: " + again);
                        } else {
                            ledger.repeated(userId, pending.clientMsgId, pending.conversationId, again.path("message"));
                        }
                    } catch (RawSocket.ConnectionLost e) {
                        socket.close();
                        socket = null;   // the message itself is acknowledged already
                    }
                }
                pending = null;
            }
            ledger.problem(userId + " gave up at the deadline"
                    + (pending == null ? "" : " with " + pending.clientMsgId + " unacknowledged"));
        } finally {
            if (socket != null) {
                socket.close();
            }
        }
    }

    /** A signed-in socket to the current server, or {@code null} while there is none to reach. */
    private RawSocket connect() {
        URI uri = server.get();
        if (uri == null) {
            return null;
        }
        try {
            return RawSocket.open(http, uri, "dev:" + userId, REPLY_TIMEOUT);
        } catch (RawSocket.ConnectionLost e) {
            return null;
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
