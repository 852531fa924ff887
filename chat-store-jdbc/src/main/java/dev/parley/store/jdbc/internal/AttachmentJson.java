package dev.parley.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.core.Attachment;
import java.util.List;

/** Attachments as the store keeps them in a text column: JSON, as on the wire. */
final class AttachmentJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<Attachment>> LIST = new TypeReference<>() {
    };

    private AttachmentJson() {
    }

    /** The column value for a message's attachments: {@code null} for none. */
    static String list(List<Attachment> attachments) {
        return attachments.isEmpty() ? null : write(attachments);
    }

    static List<Attachment> list(String stored) {
        if (stored == null || stored.isEmpty()) {
            return List.of();
        }
        try {
            return MAPPER.readValue(stored, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attachments are not valid JSON", e);
        }
    }

    static String one(Attachment attachment) {
        return write(attachment);
    }

    static Attachment one(String stored) {
        try {
            return MAPPER.readValue(stored, Attachment.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attachment is not valid JSON", e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode attachments", e);
        }
    }
}
