package dev.parley.web3.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small Ethereum JSON-RPC 2.0 client over HTTP ({@code java.net.http}): the few read methods
 * the web3 features need. Every request has a deadline covering connect, headers and body, so a
 * silent endpoint never hangs a caller; a response over {@link #MAX_RESPONSE_BYTES} is refused.
 *
 * <pre>{@code
 * JsonRpcClient rpc = JsonRpcClient.create(URI.create("http://127.0.0.1:8545"), Duration.ofSeconds(5));
 * long chainId = rpc.chainId();
 * String result = rpc.call(contract, data);   // eth_call at "latest"
 * }</pre>
 *
 * <p>Failures are {@link ChainException}s: {@link ChainError#ENDPOINT_UNREACHABLE} (refused,
 * reset, timed out), {@link ChainError#BAD_RESPONSE} (HTTP status not 2xx, not JSON, no result,
 * too large), {@link ChainError#CALL_REVERTED} (a JSON-RPC error that says the call reverted) and
 * {@link ChainError#RPC_ERROR} (any other JSON-RPC error). All map to {@code unavailable}.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class JsonRpcClient {
    /** Largest response body accepted. */
    public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();

    private JsonRpcClient(URI endpoint, Duration timeout) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("endpoint must be an http or https URI: " + endpoint);
        }
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0");
        }
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A client of {@code endpoint} whose requests each take at most {@code timeout}. */
    public static JsonRpcClient create(URI endpoint, Duration timeout) {
        return new JsonRpcClient(endpoint, timeout);
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sends one JSON-RPC request and returns its {@code result} (may be a JSON {@code null}).
     * Parameters are converted with Jackson (strings, numbers, maps, lists, booleans).
     *
     * @throws ChainException on any failure, as listed in the class comment
     */
    public JsonNode request(String method, Object... params) {
        ObjectNode body = JSON.createObjectNode();
        body.put("jsonrpc", "2.0");
        body.put("id", ids.incrementAndGet());
        body.put("method", method);
        ArrayNode array = body.putArray("params");
        for (Object p : params) {
            array.add(JSON.valueToTree(p));
        }
        byte[] raw = send(method, body);
        JsonNode reply;
        try {
            reply = JSON.readTree(raw);
        } catch (IOException e) {
            throw new ChainException(ChainError.BAD_RESPONSE, method + " to " + endpoint + ": not JSON");
        }
        if (reply == null || !reply.isObject()) {
            throw new ChainException(ChainError.BAD_RESPONSE, method + " to " + endpoint + ": not a JSON-RPC object");
        }
        JsonNode error = reply.get("error");
        if (error != null && !error.isNull()) {
            String message = error.path("message").asText("");
            int code = error.path("code").asInt(0);
            boolean reverted = code == 3 || message.toLowerCase(Locale.ROOT).contains("revert");
            throw new ChainException(reverted ? ChainError.CALL_REVERTED : ChainError.RPC_ERROR,
                    method + " to " + endpoint + ": " + code + " " + message);
        }
        if (!reply.has("result")) {
            throw new ChainException(ChainError.BAD_RESPONSE, method + " to " + endpoint + ": no result");
        }
        return reply.get("result");
    }

    private byte[] send(String method, ObjectNode body) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        } catch (IOException e) {
            throw new ChainException(ChainError.BAD_RESPONSE, "cannot encode " + method, e);
        }
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, info -> new LimitedBody());
        HttpResponse<byte[]> response;
        try {
            // The request timeout covers only the headers: this deadline covers the body too.
            response = future.get(timeout.toMillis() + 250, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ChainException(ChainError.ENDPOINT_UNREACHABLE,
                    method + " to " + endpoint + ": no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ChainException(ChainError.ENDPOINT_UNREACHABLE, method + " to " + endpoint + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge) {
                throw new ChainException(ChainError.BAD_RESPONSE,
                        method + " to " + endpoint + ": response over " + MAX_RESPONSE_BYTES + " bytes");
            }
            String what = cause instanceof java.net.http.HttpTimeoutException ? "no answer within "
                    + timeout.toMillis() + " ms" : String.valueOf(cause);
            throw new ChainException(ChainError.ENDPOINT_UNREACHABLE, method + " to " + endpoint + ": " + what, cause);
        }
        int status = response.statusCode();
        if (status / 100 != 2 && !looksLikeJson(response.body())) {
            throw new ChainException(ChainError.BAD_RESPONSE, method + " to " + endpoint + ": HTTP " + status);
        }
        return response.body();
    }

    private static boolean looksLikeJson(byte[] body) {
        for (byte b : body) {
            if (b == '{') {
                return true;
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- typed methods

    /** {@code eth_chainId}. */
    public long chainId() {
        return quantity(request("eth_chainId"), "eth_chainId").longValueExact();
    }

    /** {@code eth_blockNumber}: the latest block. */
    public long blockNumber() {
        return quantity(request("eth_blockNumber"), "eth_blockNumber").longValueExact();
    }

    /** {@code eth_call} at the latest block. @return the {@code 0x}-hex return data */
    public String call(String to, String data) {
        return call(to, data, "latest");
    }

    /**
     * {@code eth_call}.
     *
     * @param block a block tag ({@code latest}, {@code 0x1b4}, ...)
     * @return the {@code 0x}-hex return data ({@code 0x} when {@code to} has no code)
     */
    public String call(String to, String data, String block) {
        ObjectNode tx = JSON.createObjectNode().put("to", to).put("data", data);
        return hex(request("eth_call", tx, block), "eth_call");
    }

    /** {@code eth_getCode} at the latest block: {@code 0x} for an account without code. */
    public String code(String address) {
        return hex(request("eth_getCode", address, "latest"), "eth_getCode");
    }

    /** {@code eth_getTransactionReceipt}: empty while the transaction is pending or unknown. */
    public Optional<TransactionReceipt> transactionReceipt(String hash) {
        JsonNode r = request("eth_getTransactionReceipt", hash);
        if (r.isNull()) {
            return Optional.empty();
        }
        try {
            List<LogEntry> logs = new ArrayList<>();
            for (JsonNode l : r.path("logs")) {
                List<String> topics = new ArrayList<>();
                l.path("topics").forEach(t -> topics.add(t.asText()));
                logs.add(new LogEntry(l.path("address").asText(), topics, l.path("data").asText("0x")));
            }
            JsonNode status = r.get("status");
            return Optional.of(new TransactionReceipt(r.path("transactionHash").asText(),
                    quantity(r.get("blockNumber"), "receipt.blockNumber").longValueExact(),
                    status != null && !status.isNull() && quantity(status, "receipt.status").signum() == 1,
                    r.path("from").asText(), text(r.get("to")), logs));
        } catch (ArithmeticException e) {
            throw new ChainException(ChainError.BAD_RESPONSE, "eth_getTransactionReceipt: block number out of range");
        }
    }

    /** {@code eth_getTransactionByHash}: empty when the node does not know the hash. */
    public Optional<Transaction> transaction(String hash) {
        JsonNode t = request("eth_getTransactionByHash", hash);
        if (t.isNull()) {
            return Optional.empty();
        }
        JsonNode block = t.get("blockNumber");
        Long blockNumber = block == null || block.isNull() ? null : quantity(block, "tx.blockNumber").longValue();
        return Optional.of(new Transaction(t.path("hash").asText(), t.path("from").asText(), text(t.get("to")),
                quantity(t.get("value"), "tx.value"), blockNumber));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private String hex(JsonNode n, String what) {
        if (n == null || !n.isTextual() || !n.asText().matches("0x([0-9a-fA-F]{2})*")) {
            throw new ChainException(ChainError.BAD_RESPONSE, what + " to " + endpoint + ": result is not hex data");
        }
        return n.asText();
    }

    private BigInteger quantity(JsonNode n, String what) {
        if (n == null || !n.isTextual() || !n.asText().matches("0x[0-9a-fA-F]{1,64}")) {
            throw new ChainException(ChainError.BAD_RESPONSE, what + " from " + endpoint + ": not a hex quantity");
        }
        return new BigInteger(n.asText().substring(2), 16);
    }

    /** Collects a body, failing once it grows past {@link #MAX_RESPONSE_BYTES}. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (bytes.size() + b.remaining() > MAX_RESPONSE_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("response too large", null);
        }
    }
}
