package dev.parley.server.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.Attachment;
import dev.parley.core.AttachmentKind;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.Upload;
import dev.parley.core.spi.BlobInfo;
import dev.parley.core.spi.BlobStore;
import dev.parley.media.FileNames;
import dev.parley.media.MediaInfo;
import dev.parley.media.MediaKind;
import dev.parley.media.MediaSniffer;
import dev.parley.media.MediaType;
import dev.parley.media.MediaUploader;
import dev.parley.media.UploadedMedia;
import dev.parley.server.internal.JsonServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files, mapped at {@code /api/v1/files/*}: {@code POST /api/v1/files?name=…} streams an upload
 * (the raw request body) through the {@link MediaUploader} into the {@link BlobStore} and
 * registers it with the engine; {@code GET /api/v1/files/{id}} and
 * {@code GET /api/v1/files/{id}/preview} stream a file to someone the engine lets download it,
 * with single-range requests. Never a whole file in memory. See {@code docs/http-api.md}.
 */
public final class FileServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(FileServlet.class);
    private static final Pattern FILE_PATH = Pattern.compile("/([0-9A-Za-z]{1,64})(/preview)?/?");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final int BUFFER = 64 * 1024;

    private final transient ApiContext context;
    private final transient BlobStore blobs;
    private final transient MediaUploader uploader;
    private final long maxUploadBytes;

    public FileServlet(ApiContext context, BlobStore blobs, MediaUploader uploader, long maxUploadBytes) {
        this.context = context;
        this.blobs = blobs;
        this.uploader = uploader;
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String path = request.getPathInfo();
            boolean root = path == null || path.equals("/");
            switch (request.getMethod()) {
                case "POST" -> {
                    if (!root) {
                        throw ChatException.notFound("no such endpoint: POST " + request.getRequestURI());
                    }
                    upload(request, response);
                }
                case "GET", "HEAD" -> {
                    Matcher m = root ? null : FILE_PATH.matcher(path);
                    if (m == null || !m.matches()) {
                        throw ChatException.notFound("no such file");
                    }
                    download(request, response, m.group(1), m.group(2) != null);
                }
                default -> {
                    response.setHeader("Allow", root ? "POST" : "GET, HEAD");
                    JsonServlet.writeJson(context.codec(), response, 405, context.codec().read(context.codec().httpError(
                            new ChatException(ErrorCode.UNSUPPORTED, request.getMethod() + " is not allowed here"))));
                }
            }
        } catch (ChatException e) {
            if (!response.isCommitted()) {
                response.reset();
                JsonServlet.writeError(context.codec(), request, response, e);
            }
        } catch (IOException e) {
            // the client went away mid-transfer, or the blob store failed: nothing useful to answer
            log.debug("{} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            if (!response.isCommitted()) {
                response.reset();
                JsonServlet.writeError(context.codec(), request, response,
                        ChatException.unavailable("file transfer failed", e));
            }
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.reset();
                JsonServlet.writeError(context.codec(), request, response,
                        new ChatException(ErrorCode.INTERNAL, "internal error"));
            }
        }
    }

    private void upload(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String caller = new ApiCall(context, request, null, Map.of()).userId();
        long declared = request.getContentLengthLong();
        if (declared > maxUploadBytes) {
            // refused before reading a byte; the connection is closed rather than drained
            response.setHeader("Connection", "close");
            throw ChatException.tooLarge("a file may have at most " + maxUploadBytes + " bytes");
        }
        UploadedMedia media;
        try (InputStream in = request.getInputStream()) {
            media = uploader.upload(in, request.getParameter("name"));
        }
        MediaInfo info = media.info();
        Attachment detected = new Attachment("pending", media.fileName(), info.type().mimeType(), kind(info.kind()),
                info.size(), info.width(), info.height(), info.durationMillis(), info.waveform(),
                media.preview() == null ? null : new Attachment.Preview(media.preview().width(), media.preview().height()));
        Upload upload = context.engine().registerUpload(caller, info.id(),
                media.preview() == null ? null : media.preview().id(), detected);
        ObjectNode reply = context.codec().mapper().createObjectNode();
        reply.set("file", context.codec().tree(upload.attachment()));
        response.setHeader("Location", "/api/v1/files/" + upload.id());
        JsonServlet.writeJson(context.codec(), response, 201, reply);
    }

    private static AttachmentKind kind(MediaKind kind) {
        return AttachmentKind.valueOf(kind.name());
    }

    private void download(HttpServletRequest request, HttpServletResponse response, String uploadId, boolean preview)
            throws IOException {
        String caller = new ApiCall(context, request, null, Map.of()).principalFromHeaderOrQuery().userId();
        Upload upload = context.engine().download(caller, uploadId);
        String blobId = preview ? upload.previewSha256() : upload.sha256();
        if (blobId == null) {
            throw ChatException.notFound("this file has no preview");
        }
        BlobInfo blob = blobs.stat(blobId).orElseThrow(() -> {
            log.warn("upload {} names blob {}, which the blob store does not have", uploadId, blobId);
            return ChatException.notFound("file not found: " + uploadId);
        });
        long size = blob.size();
        String type = preview ? previewType(blobId) : upload.attachment().type();
        String etag = "\"" + blobId + "\"";

        response.setHeader("X-Content-Type-Options", "nosniff");
        // a served file is data, never a page: no scripts, no plugins, even if a browser renders it
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        response.setHeader("Cache-Control", "private, max-age=86400");
        // The right to a file depends on who asks: a browser must not answer a request without
        // (or with another user's) token from what it cached for this one.
        response.setHeader("Vary", "Authorization");
        response.setHeader("ETag", etag);
        response.setHeader("Accept-Ranges", "bytes");
        response.setContentType(type);
        String name = upload.attachment().name() == null ? FileNames.FALLBACK : upload.attachment().name();
        response.setHeader("Content-Disposition", FileNames.contentDisposition(inline(type) ? "inline" : "attachment",
                preview ? "preview-" + name : name));
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(304);
            return;
        }
        long start = 0;
        long end = size - 1;
        String range = request.getHeader("Range");
        if (range != null && (request.getHeader("If-Range") == null || etag.equals(request.getHeader("If-Range")))) {
            Matcher m = RANGE.matcher(range.strip());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                long[] span = span(m.group(1), m.group(2), size);
                if (span == null) {
                    response.setHeader("Content-Range", "bytes */" + size);
                    response.setStatus(416);
                    return;
                }
                start = span[0];
                end = span[1];
                response.setStatus(206);
                response.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
            // several ranges or another unit: served whole, as RFC 9110 allows
        }
        long length = size == 0 ? 0 : end - start + 1;
        response.setContentLengthLong(length);
        if ("HEAD".equals(request.getMethod()) || length == 0) {
            return;
        }
        try (InputStream in = blobs.open(blobId, start)) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("blob " + blobId + " ended " + left + " bytes early");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** The first and last byte of a single range, or {@code null} when it cannot be satisfied. */
    static long[] span(String first, String last, long size) {
        try {
            if (first.isEmpty()) { // suffix: the last N bytes
                long n = Long.parseLong(last);
                if (n == 0 || size == 0) {
                    return null;
                }
                return new long[] {Math.max(0, size - n), size - 1};
            }
            long from = Long.parseLong(first);
            long to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (from >= size || to < from) {
                return null;
            }
            return new long[] {from, to};
        } catch (NumberFormatException e) {
            return null; // more digits than a long holds
        }
    }

    /** Images, audio and video show in the page; everything else downloads. */
    private static boolean inline(String type) {
        return type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/");
    }

    private String previewType(String blobId) throws IOException {
        try (InputStream in = blobs.open(blobId, 0)) {
            byte[] prefix = in.readNBytes(64);
            MediaType t = MediaSniffer.sniff(prefix, prefix.length, prefix.length < 64);
            return t == MediaType.PNG ? "image/png" : "image/jpeg";
        }
    }
}
