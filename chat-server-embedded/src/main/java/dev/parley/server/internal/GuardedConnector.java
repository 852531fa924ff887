package dev.parley.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's connector, with the bounds a flood of connections meets: at most
 * {@code maxConnections} open connections, at most {@code maxConnectionsPerAddress} from one
 * client address (0: no limit), and a deadline for the first request's headers, so that a
 * slowloris client that trickles its handshake a byte at a time is closed instead of holding
 * a connection for ever. Connections over a limit are closed as soon as they are accepted,
 * without a response; nothing else is affected. Its listen backlog ({@code acceptQueueSize}) is
 * set, not Jetty's default of 50, so that a burst of handshakes is not dropped by the kernel
 * (each drop costs the client a SYN retransmission, a second or more).
 */
public final class GuardedConnector extends ServerConnector {
    private static final Logger log = LoggerFactory.getLogger(GuardedConnector.class);

    private final int maxConnections;
    private final int maxPerAddress;
    private final Duration headerTimeout;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    /** Endpoints over a limit, closed as soon as their connection has opened. */
    private final Set<EndPoint> overLimit = ConcurrentHashMap.newKeySet();

    public GuardedConnector(Server server, int maxConnections, int maxPerAddress, Duration headerTimeout,
                            int acceptQueueSize) {
        super(server);
        setAcceptQueueSize(acceptQueueSize);
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.headerTimeout = headerTimeout;
        // Connection factories hand the connector's Connection.Listener beans to every connection
        // they make; onOpened runs once the endpoint is open, where a close takes effect (a close
        // from onEndPointOpened, before the selector opens the endpoint, would be lost).
        addBean(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                EndPoint endPoint = connection.getEndPoint();
                if (overLimit.remove(endPoint)) {
                    endPoint.close();
                }
            }
        });
    }

    @Override
    protected void onEndPointOpened(EndPoint endPoint) {
        super.onEndPointOpened(endPoint);
        int total = open.incrementAndGet();
        InetAddress address = address(endPoint.getRemoteSocketAddress());
        int fromAddress = address == null ? 0
                : perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (total > maxConnections || (maxPerAddress > 0 && fromAddress > maxPerAddress)) {
            long n = refused.incrementAndGet();
            if (n == 1 || n % 1_000 == 0) {
                log.warn("connection from {} refused: {} open (max {}), {} from that address (max {}); {} refused so far",
                        address, total, maxConnections, fromAddress, maxPerAddress == 0 ? "none" : maxPerAddress, n);
            }
            overLimit.add(endPoint);
            // Whichever comes first: the connection's onOpened (the usual order), or this
            // fallback for when the connection opened before this callback ran.
            getScheduler().schedule(() -> {
                if (overLimit.remove(endPoint)) {
                    endPoint.close();
                }
            }, 100, TimeUnit.MILLISECONDS);
            return;
        }
        getScheduler().schedule(() -> checkHeaders(endPoint), headerTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void onEndPointClosed(EndPoint endPoint) {
        overLimit.remove(endPoint);
        open.decrementAndGet();
        InetAddress address = address(endPoint.getRemoteSocketAddress());
        if (address != null) {
            perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
        super.onEndPointClosed(endPoint);
    }

    /** Closes a connection still on HTTP/1 that has not completed one request's headers. */
    private void checkHeaders(EndPoint endPoint) {
        if (!endPoint.isOpen()) {
            return;
        }
        Connection connection = endPoint.getConnection();
        if (connection instanceof org.eclipse.jetty.server.internal.HttpConnection http && http.getMessagesIn() == 0) {
            timedOut.incrementAndGet();
            log.debug("closing {}: no complete request headers within {}", endPoint.getRemoteSocketAddress(),
                    headerTimeout);
            endPoint.close();
        }
    }

    /** Connections closed at once for being over a limit, since start. */
    public long refusedConnections() {
        return refused.get();
    }

    /** Connections closed for not completing their first request's headers in time, since start. */
    public long headerTimeouts() {
        return timedOut.get();
    }

    /** Open connections now. */
    public int openConnections() {
        return open.get();
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
