package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.Attachment;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.protocol.ProtocolCodec;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Uploads and downloads of attachments over the server's HTTP API ({@code POST /api/v1/files},
 * {@code GET /api/v1/files/{id}}), streamed: never a whole file in memory. Get one from
 * {@link ChatClient#files()}; send an uploaded file by putting {@link Attachment#ref(String)
 * its id} in a message body.
 *
 * <pre>{@code
 * Attachment photo = client.files().upload(Path.of("cat.jpg"), (sent, total) -> bar.set(sent, total)).join();
 * client.sendWithOptions(dm, new MessageBody("look", List.of(Attachment.ref(photo.id()))), null, SendOptions.NONE);
 * client.files().download(photo.id(), Path.of("copy.jpg"), null).join();
 * }</pre>
 *
 * <p>Failures complete the futures with a {@link ChatException} carrying the server's error
 * code ({@code too_large}, {@code unsupported_media_type}, {@code not_found}, …), or
 * {@code unavailable} when the server cannot be reached.
 *
 * @since 0.1.0
 */
public final class FileTransfers {
    private static final int BUFFER = 64 * 1024;

    /** Told how far a transfer got; called on the transferring thread, often: keep it quick. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param bytes bytes transferred so far
         * @param total bytes in all, or -1 when unknown
         */
        void progress(long bytes, long total);
    }

    private final URI base;
    private final Supplier<String> token;
    private final Duration timeout;
    private final HttpClient http;
    private final ProtocolCodec codec = new ProtocolCodec();

    FileTransfers(URI base, Supplier<String> token, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The HTTP base of a WebSocket endpoint: same host and port, {@code http(s)://host:port/}. */
    static URI httpBase(URI webSocket) {
        String scheme = "wss".equalsIgnoreCase(webSocket.getScheme()) ? "https" : "http";
        return URI.create(scheme + "://" + webSocket.getRawAuthority() + "/");
    }

    /** Uploads a file; its name is sent as the display name. */
    public CompletableFuture<Attachment> upload(Path file, Progress progress) {
        Objects.requireNonNull(file, "file");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
        return upload(() -> {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, size, file.getFileName().toString(), progress);
    }

    /**
     * Uploads {@code size} bytes from a stream the supplier opens (it may be asked again if the
     * request is retried).
     *
     * @param name display name, or {@code null}; the server sanitises it and fixes its extension
     */
    public CompletableFuture<Attachment> upload(Supplier<InputStream> content, long size, String name,
                                                Progress progress) {
        Objects.requireNonNull(content, "content");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        Progress p = progress == null ? (b, t) -> { } : progress;
        String query = name == null ? "" : "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        // no request timeout: a large upload over a slow link takes as long as it takes
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/files" + query))
                .header("Authorization", "Bearer " + token.get())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> counting(content.get(), size, p)), size))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw unreachable(failure);
                    }
                    if (response.statusCode() != 201) {
                        throw error(response.statusCode(), response.body());
                    }
                    return codec.convert(codec.read(response.body()).get("file"), Attachment.class);
                });
    }

    /** Downloads a file into {@code target} (replaced atomically when complete). */
    public CompletableFuture<Path> download(String fileId, Path target, Progress progress) {
        Objects.requireNonNull(target, "target");
        return open(fileId, progress).thenApply(in -> {
            Path temp = target.resolveSibling(target.getFileName() + ".part");
            try (InputStream body = in; OutputStream out = Files.newOutputStream(temp)) {
                body.transferTo(out);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort
                }
                throw unreachable(e);
            }
        });
    }

    /** Opens a file for reading; the caller closes the stream. Progress is reported as it is read. */
    public CompletableFuture<InputStream> open(String fileId, Progress progress) {
        return get(path(fileId), progress);
    }

    /** Opens a file's preview image (images only; {@code not_found} otherwise). */
    public CompletableFuture<InputStream> openPreview(String fileId) {
        return get(path(fileId) + "/preview", null);
    }

    private static String path(String fileId) {
        Objects.requireNonNull(fileId, "fileId");
        if (!fileId.matches("[0-9A-Za-z]{1,64}")) {
            throw ChatException.badRequest("not a file id: " + fileId);
        }
        return "api/v1/files/" + fileId;
    }

    private CompletableFuture<InputStream> get(String path, Progress progress) {
        Progress p = progress == null ? (b, t) -> { } : progress;
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve(path))).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw unreachable(failure);
                    }
                    if (response.statusCode() != 200) {
                        String body;
                        try (InputStream in = response.body()) {
                            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            body = "";
                        }
                        throw error(response.statusCode(), body);
                    }
                    long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                    return counting(response.body(), total, p);
                });
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return builder.timeout(timeout).header("Authorization", "Bearer " + token.get());
    }

    private ChatException error(int status, String body) {
        ErrorCode code = ErrorCode.UNAVAILABLE;
        String message = "HTTP " + status;
        try {
            JsonNode error = codec.read(body).path("error");
            if (error.hasNonNull("code")) {
                code = ErrorCode.fromWire(error.path("code").asText());
                message = error.path("message").asText(message);
            }
        } catch (RuntimeException e) {
            // not a Parley error body (a proxy's page, say): keep the status
        }
        return new ChatException(code, message);
    }

    private static RuntimeException unreachable(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ChatException chat) {
            return chat;
        }
        return ChatException.unavailable("file transfer failed: " + cause.getMessage(), cause);
    }

    private static InputStream counting(InputStream in, long total, Progress progress) {
        return new FilterInputStream(in) {
            private long bytes;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    progress.progress(++bytes, total);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, Math.min(len, BUFFER));
                if (n > 0) {
                    bytes += n;
                    progress.progress(bytes, total);
                }
                return n;
            }
        };
    }
}
