package dev.parley.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ErrorCode;
import dev.parley.core.protocol.Command;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.protocol.ProtocolException;
import dev.parley.core.protocol.ServerFrame;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for the wire codec. Each input is a frame's text (the bytes as UTF-8). Without
 * {@code JAZZER_FUZZ} they run once per file of the seed corpus in
 * {@code src/test/resources/dev/parley/it/fuzz/ProtocolCodecFuzzTestInputs/<method>/} (crashes
 * a fuzzing run finds are saved there too and so become regression tests); see
 * {@code docs/hardening.md} for a fuzzing session.
 */
class ProtocolCodecFuzzTest {
    private final ProtocolCodec codec = new ProtocolCodec();

    /**
     * What the server does with every client frame: any text decodes to a command or is a
     * {@link ProtocolException} ({@code bad_request} or {@code unsupported}) that the server can
     * answer — never another exception, which would be an {@code internal} error. A decoded
     * command encodes (as the Java client sends it) back to the same command.
     */
    @FuzzTest(maxDuration = "2m")
    void decodeCommand(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Command command;
        try {
            command = codec.decodeCommand(text);
        } catch (ProtocolException e) {
            assertThat(e.code()).isIn(ErrorCode.BAD_REQUEST, ErrorCode.UNSUPPORTED);
            assertThat(e.getMessage()).isNotBlank();
            Object id = e.commandId();
            assertValidId(id);
            JsonNode reply = codec.read(codec.error(id, e));
            assertThat(reply.path("error").path("code").asText()).isEqualTo(e.code().wire());
            return;
        }
        assertValidId(command.id());
        assertThat(codec.decodeCommand(codec.encodeCommand(command))).isEqualTo(command);
    }

    /** A command id is absent, an integer, or a string of at most 64 characters (docs/protocol.md, Envelope). */
    private static void assertValidId(Object id) {
        assertThat(id == null || id instanceof Long || id instanceof String s && s.length() <= 64)
                .as("command id %s", id).isTrue();
    }

    /**
     * What the Java client does with every server frame: a frame decodes to a reply, an error
     * reply or an event (and an event to a chat event) or is a {@link ProtocolException} —
     * the only exception the client catches there.
     */
    @FuzzTest(maxDuration = "2m")
    void decodeServerFrame(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        ServerFrame frame;
        try {
            frame = codec.decodeServerFrame(text);
        } catch (ProtocolException e) {
            return;
        }
        if (frame instanceof ServerFrame.Event event) {
            try {
                assertThat(codec.decodeEvent(event)).isNotNull();
            } catch (ProtocolException e) {
                // an unknown or malformed event: the client logs it and goes on
            }
        }
    }

    /**
     * The pure part of reading an HTTP API body ({@code JsonServlet} reads the bytes, then
     * {@link ProtocolCodec#read}): any text is a JSON tree or a {@code bad_request}
     * {@link ProtocolException} — never another exception, which the servlet would turn into
     * a 500.
     */
    @FuzzTest(maxDuration = "2m")
    void readHttpBody(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            codec.read(text);
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }
    }
}
