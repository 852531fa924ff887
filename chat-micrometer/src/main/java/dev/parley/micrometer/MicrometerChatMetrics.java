package dev.parley.micrometer;

import dev.parley.core.ErrorCode;
import dev.parley.core.protocol.CommandType;
import dev.parley.core.spi.ChatMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Parley's {@link ChatMetrics} in a Micrometer {@link MeterRegistry}, named the Micrometer way
 * (dots; each registry renders them in its own convention, e.g. Prometheus
 * {@code parley_command_duration_seconds}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code parley.connections.active}</td><td>gauge</td><td></td><td>open WebSockets</td></tr>
 *   <tr><td>{@code parley.messages.sent}</td><td>counter</td><td></td><td>messages committed</td></tr>
 *   <tr><td>{@code parley.messages.delivered}</td><td>counter</td><td></td><td>message events queued to sockets</td></tr>
 *   <tr><td>{@code parley.command.duration}</td><td>timer</td><td>{@code command}, {@code outcome}</td>
 *       <td>socket commands; outcome {@code ok} or the error code</td></tr>
 *   <tr><td>{@code parley.store.commit.duration}</td><td>timer</td><td></td><td>store transactions</td></tr>
 *   <tr><td>{@code parley.store.commit.writes}</td><td>summary</td><td></td><td>writes per transaction</td></tr>
 *   <tr><td>{@code parley.broker.lag}</td><td>timer</td><td></td><td>publication on another node to arrival here</td></tr>
 *   <tr><td>{@code parley.outbound.queue.dropped}</td><td>counter</td><td></td><td>frames dropped for slow consumers</td></tr>
 * </table>
 *
 * <pre>{@code
 * MeterRegistry registry = ...;   // Prometheus, OTLP, SimpleMeterRegistry, ...
 * ChatMetrics metrics = new MicrometerChatMetrics(registry);
 * try (ChatServer server = ChatServer.builder().metrics(metrics).start()) { ... }
 * }</pre>
 *
 * <p>Every meter except the command timers is registered at construction, so dashboards show
 * zeros rather than gaps; a command timer is registered the first time its command ends with
 * that outcome and then kept, so recording allocates nothing of its own. The extra tags (a
 * node name, say) go on every meter. One instance per registry and server: two instances on one
 * registry with the same tags would share the counters but not the connection gauge.
 *
 * @since 0.1.0
 */
public final class MicrometerChatMetrics implements ChatMetrics {
    /** Tag value of a command that succeeded. */
    public static final String OK = "ok";

    private static final int OUTCOMES = ErrorCode.values().length + 1;
    private static final int COMMANDS = CommandType.values().length;

    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter sent;
    private final Counter delivered;
    private final Counter dropped;
    private final Timer storeCommit;
    private final DistributionSummary storeWrites;
    private final Timer brokerLag;
    /** By {@code command.ordinal() * OUTCOMES + outcome}, outcome 0 for ok and 1 + ordinal for an error. */
    private final AtomicReferenceArray<Timer> commandTimers =
            new AtomicReferenceArray<>(COMMANDS * OUTCOMES);

    /** Meters without extra tags. */
    public MicrometerChatMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * @param registry where the meters are registered
     * @param tags     tags put on every meter (e.g. {@code Tags.of("node", "a")})
     */
    public MicrometerChatMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        Gauge.builder("parley.connections.active", active, AtomicInteger::get)
                .description("WebSockets open on this server").baseUnit("connections").tags(this.tags)
                .register(registry);
        this.sent = Counter.builder("parley.messages.sent")
                .description("Messages durably committed (a retried send counts once)").baseUnit("messages")
                .tags(this.tags).register(registry);
        this.delivered = Counter.builder("parley.messages.delivered")
                .description("Live message events queued to this server's sockets, one per socket")
                .baseUnit("messages").tags(this.tags).register(registry);
        this.dropped = Counter.builder("parley.outbound.queue.dropped")
                .description("Frames dropped because a socket's outbound queue overflowed (slow consumer, closed 4503)")
                .baseUnit("frames").tags(this.tags).register(registry);
        this.storeCommit = Timer.builder("parley.store.commit.duration")
                .description("One store transaction, from its start to the end of its commit").tags(this.tags)
                .register(registry);
        this.storeWrites = DistributionSummary.builder("parley.store.commit.writes")
                .description("Writes committed in one store transaction (group commit)").baseUnit("writes")
                .tags(this.tags).register(registry);
        this.brokerLag = Timer.builder("parley.broker.lag")
                .description("From publication on another node to arrival at this node (wall clocks)")
                .tags(this.tags).register(registry);
    }

    @Override
    public void connectionOpened() {
        active.incrementAndGet();
    }

    @Override
    public void connectionClosed() {
        active.decrementAndGet();
    }

    @Override
    public void messageSent() {
        sent.increment();
    }

    @Override
    public void messagesDelivered(int sockets) {
        delivered.increment(sockets);
    }

    @Override
    public void commandCompleted(CommandType command, ErrorCode error, long durationNanos) {
        commandTimer(command, error).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void storeCommitted(int writes, long durationNanos) {
        storeCommit.record(durationNanos, TimeUnit.NANOSECONDS);
        storeWrites.record(writes);
    }

    @Override
    public void brokerLag(long lagNanos) {
        brokerLag.record(lagNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void outboundDropped(int frames) {
        dropped.increment(frames);
    }

    private Timer commandTimer(CommandType command, ErrorCode error) {
        int outcome = error == null ? 0 : 1 + error.ordinal();
        int index = command.ordinal() * OUTCOMES + outcome;
        Timer timer = commandTimers.get(index);
        if (timer == null) {
            // A race registers the same meter twice; the registry returns the one it has.
            timer = Timer.builder("parley.command.duration")
                    .description("Socket commands, from a worker starting one until its reply is ready")
                    .tags(tags)
                    .tag("command", command.wire())
                    .tag("outcome", error == null ? OK : error.wire())
                    .register(registry);
            commandTimers.set(index, timer);
        }
        return timer;
    }
}
