package dev.parley.server.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.protocol.ProtocolCodec;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.BooleanSupplier;

/** {@code GET /health}: 200 {@code {"status":"ok"}}, or 503 {@code {"status":"closing"}} during shutdown. */
public final class HealthServlet extends JsonServlet {
    private final transient BooleanSupplier closing;

    public HealthServlet(ProtocolCodec codec, BooleanSupplier closing) {
        super(codec, 0);
        this.closing = closing;
    }

    @Override
    protected JsonReply get(HttpServletRequest request) {
        boolean down = closing.getAsBoolean();
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", down ? "closing" : "ok");
        return new JsonReply(down ? 503 : 200, body);
    }
}
