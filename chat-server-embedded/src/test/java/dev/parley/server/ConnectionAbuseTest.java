package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection floods and slowloris handshakes: each bounded, others unaffected (embedded server). */
class ConnectionAbuseTest {

    private static Socket open(TestServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.ws().getPort());
        s.setSoTimeout(5_000);
        return s;
    }

    /** Whether the server closed the socket: a read returns end of stream (or the connection is reset). */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /**
     * How many of {@code sockets} the server has closed, polling until {@code expected} are or the
     * time is up. Which ones go is not fixed: connections are accepted on several selector
     * threads, so "the one over the limit" is whichever was counted last.
     */
    private static int closedCount(List<Socket> sockets, int expected, Duration within) throws IOException {
        java.util.Set<Socket> closed = new java.util.HashSet<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (closed.size() < expected && System.nanoTime() < deadline) {
            for (Socket s : sockets) {
                if (!closed.contains(s)) {
                    s.setSoTimeout(20);
                    if (closedByServer(s)) {
                        closed.add(s);
                    }
                }
            }
        }
        // and no more than that: the others stay open a little longer
        for (Socket s : sockets) {
            if (!closed.contains(s)) {
                s.setSoTimeout(200);
                if (closedByServer(s)) {
                    closed.add(s);
                }
            }
        }
        return closed.size();
    }

    @Test
    void connectionsOverTheLimitAreClosedAtOnceAndTheOthersKeepWorking() throws Exception {
        try (TestServer server = TestServer.start(c -> c.maxConnections(12).requestHeaderTimeout(Duration.ofSeconds(30)));
             WsClient alice = server.signedIn("alice")) {
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) {
                    flood.add(open(server));
                }
                // alice holds one of the 12: 11 of the flood stay, 19 go
                assertThat(closedCount(flood, 19, Duration.ofSeconds(15))).isEqualTo(19);
                alice.ok("ping");
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            // the flood is gone: new connections are accepted again
            await().atMost(Duration.ofSeconds(5)).untilAsserted(server::assertServesNormalClient);
        }
    }

    @Test
    void connectionsOverThePerAddressLimitAreClosed() throws Exception {
        try (TestServer server = TestServer.start(c -> c.maxConnectionsPerAddress(3))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    sockets.add(open(server));
                }
                assertThat(closedCount(sockets, 1, Duration.ofSeconds(15))).isEqualTo(1);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aHandshakeTrickledByteByByteIsClosedAtTheHeaderDeadlineWhileNormalClientsChat() throws Exception {
        try (TestServer server = TestServer.start(c -> c.requestHeaderTimeout(Duration.ofMillis(800)));
             Socket slow = open(server)) {
            OutputStream out = slow.getOutputStream();
            String head = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < head.length() && !closed; i++) {
                try {
                    out.write(head.charAt(i));
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                Thread.sleep(50);
                slow.setSoTimeout(1);
                try {
                    closed = slow.getInputStream().read() == -1;
                } catch (SocketTimeoutException e) {
                    // still open
                } catch (IOException e) {
                    closed = true;
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).as("closed before the handshake was complete").isTrue();
            assertThat(ms).as("closed around the deadline, not by the idle timeout").isLessThan(5_000);
            server.assertServesNormalClient();
        }
    }

    @Test
    void aSlowUploadWithCompleteHeadersIsNotCutByTheHeaderDeadline() throws Exception {
        try (TestServer server = TestServer.start(c -> c.requestHeaderTimeout(Duration.ofMillis(500)));
             Socket s = open(server)) {
            byte[] body = "{\"username\":\"x\",\"password\":\"y\"}".getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte b : body) { // 32 bytes over ~1.3 s: longer than the header deadline
                out.write(b);
                out.flush();
                Thread.sleep(40);
            }
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).startsWith("HTTP/1.1 ");
        }
    }
}
