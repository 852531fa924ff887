package dev.parley.server.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * The rule the server module's builders share: each option may be set once, and nothing
 * changes after the builder has finished ({@code build()} or {@code start()}, which runs once).
 * Not thread-safe, like the builders.
 */
public final class BuilderOptions {
    private final String finished;
    private final String finishCall;
    private final Set<String> set = new HashSet<>();
    private boolean done;

    /**
     * @param finished   how the refusal after finishing starts, e.g. "the endpoint is already built"
     * @param finishCall the finishing call, e.g. "build()"
     */
    public BuilderOptions(String finished, String finishCall) {
        this.finished = finished;
        this.finishCall = finishCall;
    }

    /** Records that {@code option} is being set: refused after finishing or when it was set before. */
    public void once(String option) {
        checkOpen(option + " cannot change");
        if (!set.add(option)) {
            throw new IllegalStateException(option + " is already set");
        }
    }

    /** Refuses a change after finishing: "the … is already built; {@code refusal}". */
    public void checkOpen(String refusal) {
        if (done) {
            throw new IllegalStateException(finished + "; " + refusal);
        }
    }

    /** Whether {@code option} was set. */
    public boolean isSet(String option) {
        return set.contains(option);
    }

    /** Call first in the finishing call: refuses a second one. */
    public void checkNotFinished() {
        if (done) {
            throw new IllegalStateException(finishCall + " was already called");
        }
    }

    /** Call once the finishing call's own checks passed: later changes are refused. */
    public void markFinished() {
        done = true;
    }
}
