package dev.parley.server.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.regex.Pattern;

/**
 * Serves files from the classpath: either every file under one directory (the web root,
 * {@code index.html} for a path ending in {@code /}) or one fixed resource. GET and HEAD only.
 *
 * <p>Safe by construction rather than by filtering: each path segment must be a plain name
 * ({@code A-Z a-z 0-9 _ - .}, not starting with a dot, so no {@code ..}, no hidden files,
 * no encoded separators), the file must have an extension from {@link #TYPES} (so
 * {@code .class} files and extension-less names are never served), and a directory is never
 * listed. Everything else is a 404. Responses carry {@code X-Content-Type-Options: nosniff}.
 */
public final class ClasspathResourceServlet extends HttpServlet {
    /** Content types by extension: the only files served. */
    static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("wasm", "application/wasm"));
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String INDEX = "index.html";

    private final transient ClassLoader loader;
    private final String root;
    private final String resource;
    private final String contentType;

    private ClasspathResourceServlet(ClassLoader loader, String root, String resource, String contentType) {
        this.loader = loader;
        this.root = root;
        this.resource = resource;
        this.contentType = contentType;
    }

    /**
     * Every file under a classpath directory, e.g. {@code "dev/parley/examples/demo"}; map it at {@code /}.
     *
     * @throws IllegalArgumentException for an empty root or one with {@code ..} segments
     */
    public static ClasspathResourceServlet directory(ClassLoader loader, String classpathDir) {
        return new ClasspathResourceServlet(loader, normalizeRoot(classpathDir), null, null);
    }

    /** One resource with a fixed content type, e.g. {@code dev/parley/clientjs/parley.js}. */
    public static ClasspathResourceServlet file(ClassLoader loader, String resource, String contentType) {
        return new ClasspathResourceServlet(loader, null, resource, contentType);
    }

    /** {@code "/a/b/"} → {@code "a/b"}; refuses the classpath root itself and dot segments. */
    public static String normalizeRoot(String classpathDir) {
        if (classpathDir == null) {
            throw new IllegalArgumentException("classpath directory must not be null");
        }
        String dir = classpathDir.strip();
        while (dir.startsWith("/")) {
            dir = dir.substring(1);
        }
        while (dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("the static root must be a classpath directory, not the classpath root");
        }
        for (String segment : dir.split("/")) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("invalid classpath directory: " + classpathDir);
            }
        }
        return dir;
    }

    /** Whether the root directory has an {@code index.html} (for a start-up warning). */
    public boolean hasIndex() {
        return root != null && loader.getResource(root + "/" + INDEX) != null;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(405);
            return;
        }
        String name = resource != null ? resource : resolve(request);
        String type = resource != null ? contentType : name == null ? null : typeOf(name);
        byte[] bytes = type == null ? null : read(name);
        if (bytes == null) {
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.sendError(404);
            return;
        }
        response.setStatus(200);
        response.setContentType(type);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(bytes.length);
        if (!head) {
            response.getOutputStream().write(bytes);
        }
    }

    /** The classpath name for the request path, or {@code null} when the path is not a plain file path. */
    private String resolve(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.isEmpty() || path.endsWith("/")) {
            path = path + INDEX;
        }
        StringBuilder name = new StringBuilder(root);
        for (String segment : path.substring(path.startsWith("/") ? 1 : 0).split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return null;
            }
            name.append('/').append(segment);
        }
        return name.toString();
    }

    private static String typeOf(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        if (dot <= slash + 1) {
            return null;
        }
        return TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The file's bytes, or {@code null} when it does not exist or is a directory. */
    private byte[] read(String name) throws IOException {
        URL url = loader.getResource(name);
        if (url == null) {
            return null;
        }
        if ("file".equals(url.getProtocol())) {
            try {
                Path file = Path.of(url.toURI());
                return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            } catch (URISyntaxException | IllegalArgumentException e) {
                return null;
            }
        }
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry == null || entry.isDirectory()) {
                return null;
            }
        }
        try (InputStream in = connection.getInputStream()) {
            return in.readAllBytes();
        }
    }

    @Override
    public String toString() {
        return "ClasspathResourceServlet[" + (root != null ? root + "/" : resource) + "]";
    }
}
