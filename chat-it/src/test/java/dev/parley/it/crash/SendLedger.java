package dev.parley.it.crash;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the clients were told, shared by every storm client: each acknowledged message by
 * (sender, clientMsgId), the server generation each send went to, and anything unexpected.
 * Thread-safe.
 */
final class SendLedger {
    /** An acknowledgement: the message the server said it stored. */
    record Ack(String senderId, String clientMsgId, String conversationId, String messageId, long seq,
               Instant createdAt) {
    }

    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Instant> killedAt = new CopyOnWriteArrayList<>();
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger retriedAfterCrash = new AtomicInteger();
    private final AtomicInteger committedButUnacked = new AtomicInteger();
    private final AtomicInteger deliberateRepeats = new AtomicInteger();

    /** The server generation new sends go to: 0 for the first process, +1 per restart. */
    int generation() {
        return generation.get();
    }

    /** The current server was killed and is gone since {@code at}; the next one is a new generation. */
    void killed(Instant at) {
        killedAt.add(at);
        generation.incrementAndGet();
    }

    /**
     * Records the reply to a send. {@code lostInGeneration} is the generation whose crash lost
     * an earlier attempt of this send, or -1 when this was the first attempt.
     */
    void acked(String senderId, String clientMsgId, String conversationId, JsonNode message, int lostInGeneration) {
        Ack ack = new Ack(message.path("senderId").asText(), message.path("clientMsgId").asText(),
                message.path("conversationId").asText(), message.path("id").asText(), message.path("seq").asLong(),
                Instant.parse(message.path("createdAt").asText()));
        if (!ack.senderId().equals(senderId) || !ack.clientMsgId().equals(clientMsgId)
                || !ack.conversationId().equals(conversationId)) {
            problem("ack for " + senderId + "/" + clientMsgId + " in " + conversationId + " describes " + ack);
            return;
        }
        Ack earlier = acks.putIfAbsent(key(senderId, clientMsgId), ack);
        if (earlier != null && !earlier.equals(ack)) {
            problem("two acks for " + senderId + "/" + clientMsgId + " differ: " + earlier + " then " + ack);
        }
        if (lostInGeneration >= 0 && lostInGeneration < killedAt.size()) {
            retriedAfterCrash.incrementAndGet();
            if (!ack.createdAt().isAfter(killedAt.get(lostInGeneration))) {
                committedButUnacked.incrementAndGet();   // the retry got the message stored before the kill
            }
        }
    }

    /** Records the reply to a deliberate second send of an acknowledged message (a lost ack played out). */
    void repeated(String senderId, String clientMsgId, String conversationId, JsonNode message) {
        deliberateRepeats.incrementAndGet();
        acked(senderId, clientMsgId, conversationId, message, -1);
    }

    void problem(String description) {
        problems.add(description);
    }

    List<String> problems() {
        return new ArrayList<>(problems);
    }

    Map<String, Ack> acks() {
        return Map.copyOf(acks);
    }

    int ackCount() {
        return acks.size();
    }

    int retriedAfterCrash() {
        return retriedAfterCrash.get();
    }

    int committedButUnacked() {
        return committedButUnacked.get();
    }

    int deliberateRepeats() {
        return deliberateRepeats.get();
    }

    static String key(String senderId, String clientMsgId) {
        return senderId + "/" + clientMsgId;
    }
}
