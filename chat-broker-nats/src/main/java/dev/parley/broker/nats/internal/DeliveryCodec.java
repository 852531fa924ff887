package dev.parley.broker.nats.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.protocol.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The NATS payload of a delivery: {@code {"v":1,"from":"<incarnation>","seq":N,"to":[userId…],
 * "event":{…}}}, where {@code event} is the event exactly as protocol v1 pushes it to clients
 * ({@link ProtocolCodec#event}). {@code from}/{@code seq} number each publisher's deliveries
 * so a receiver can tell that it missed some.
 */
public final class DeliveryCodec {
    /** Payload format version; a receiver drops versions it does not know. */
    public static final int VERSION = 1;

    private final ProtocolCodec codec;
    private final ObjectMapper mapper;

    /**
     * A decoded payload.
     *
     * @param publishedAtMillis the publisher's wall-clock time of publication, or -1 when the
     *                          payload does not carry it (an older publisher)
     */
    public record Envelope(String from, long seq, long publishedAtMillis, Delivery delivery) {
    }

    public DeliveryCodec(ProtocolCodec codec) {
        this.codec = codec;
        this.mapper = codec.mapper();
    }

    /** The event part, encoded once and reused when a delivery is split. */
    public String event(ChatEvent event) {
        return codec.event(event);
    }

    public byte[] encode(String from, long seq, long publishedAtMillis, Set<String> recipients, String eventJson) {
        try {
            StringBuilder sb = new StringBuilder(eventJson.length() + 64 + recipients.size() * 30);
            sb.append("{\"v\":").append(VERSION)
                    .append(",\"from\":").append(mapper.writeValueAsString(from))
                    .append(",\"seq\":").append(seq)
                    .append(",\"at\":").append(publishedAtMillis)
                    .append(",\"to\":").append(mapper.writeValueAsString(recipients))
                    .append(",\"event\":").append(eventJson).append('}');
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a delivery", e);
        }
    }

    public Envelope decode(byte[] payload) throws MalformedPayload {
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (java.io.IOException e) {
            throw new MalformedPayload("not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPayload("not a JSON object");
        }
        if (root.path("v").asInt(-1) != VERSION) {
            throw new MalformedPayload("unknown payload version " + root.path("v"));
        }
        JsonNode from = root.get("from");
        JsonNode seq = root.get("seq");
        JsonNode to = root.get("to");
        JsonNode event = root.get("event");
        if (from == null || !from.isTextual() || seq == null || !seq.canConvertToLong() || seq.asLong() < 1
                || to == null || !to.isArray() || event == null || !event.isObject()
                || !event.path("type").isTextual()) {
            throw new MalformedPayload("missing or invalid from, seq, to or event");
        }
        List<String> recipients = new ArrayList<>(to.size());
        for (JsonNode r : to) {
            if (!r.isTextual()) {
                throw new MalformedPayload("recipient is not a string");
            }
            recipients.add(r.asText());
        }
        ChatEvent decoded;
        try {
            decoded = codec.decodeEvent(new ServerFrame.Event(event.get("type").asText(), event));
        } catch (RuntimeException e) {
            throw new MalformedPayload("bad event: " + e.getMessage());
        }
        JsonNode at = root.get("at");
        long publishedAt = at != null && at.canConvertToLong() && at.asLong() >= 0 ? at.asLong() : -1;
        return new Envelope(from.asText(), seq.asLong(), publishedAt, new Delivery(new HashSet<>(recipients), decoded));
    }
}
