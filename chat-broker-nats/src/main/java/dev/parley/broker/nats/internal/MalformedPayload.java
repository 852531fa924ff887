package dev.parley.broker.nats.internal;

/** A payload on a Parley subject that this node cannot read; it is logged and dropped. */
public final class MalformedPayload extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedPayload(String message) {
        super(message, null, false, false);
    }
}
