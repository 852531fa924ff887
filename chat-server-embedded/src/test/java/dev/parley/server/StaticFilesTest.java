package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.ApiClient;
import dev.parley.server.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser client at /client/parley.js and a classpath web root at /. */
class StaticFilesTest {
    private static final String SECRET = "TOP-SECRET-OUTSIDE-THE-WEB-ROOT";

    @TempDir
    Path dir;
    private ChatServer server;
    private ApiClient http;

    @BeforeEach
    void start() {
        server = ChatServer.builder().port(0).dataDir(dir).staticResources("dev/parley/server/testweb/").start();
        http = new ApiClient(server.httpUri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theBrowserClientIsServedAsJavaScript() throws IOException {
        ApiClient.Response js = http.get("/client/parley.js", null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(js.header("X-Content-Type-Options")).contains("nosniff");
        try (InputStream in = ChatServer.class.getClassLoader().getResourceAsStream("dev/parley/clientjs/parley.js")) {
            assertThat(js.body()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theBrowserClientIsServedWithoutAWebRootToo(@TempDir Path other) {
        try (ChatServer plain = ChatServer.builder().port(0).dataDir(other).start()) {
            ApiClient.Response js = new ApiClient(plain.httpUri()).get("/client/parley.js", null);
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.header("Content-Type")).contains("text/javascript; charset=utf-8");
            assertThat(new ApiClient(plain.httpUri()).get("/", null).status()).isEqualTo(404);
        }
    }

    @Test
    void theWebRootServesIndexHtmlAtSlashAndFilesWithTheirTypes() {
        ApiClient.Response index = http.get("/", null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type").orElseThrow().replace(" ", "")).isEqualToIgnoringCase("text/html;charset=utf-8");
        assertThat(index.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(index.body()).contains("parley-test-index");
        assertThat(http.get("/index.html", null).body()).isEqualTo(index.body());

        ApiClient.Response app = http.get("/app.js", null);
        assertThat(app.header("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(app.body()).contains("parley-test-app");
        assertThat(http.get("/sub/page.html", null).status()).isEqualTo(200);
        assertThat(http.send(http.request("/app.js", null).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()))
                .status()).isEqualTo(200);
        assertThat(http.send(http.request("/app.js", null).POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")))
                .status()).isEqualTo(405);
    }

    @Test
    void directoriesAreNotListedAndUnknownOrExtensionlessFilesAreNotServed() {
        assertThat(http.get("/sub/", null).status()).isEqualTo(404);
        assertThat(http.get("/sub", null).status()).isEqualTo(404);
        assertThat(http.get("/NOTES", null).status()).isEqualTo(404);
        assertThat(http.get("/missing.html", null).status()).isEqualTo(404);
        assertThat(http.get("/.hidden.html", null).status()).isEqualTo(404);
    }

    @Test
    void pathTraversalDoesNotLeakFiles() throws IOException {
        String[] attempts = {
            "/../pom.xml", "/%2e%2e/pom.xml", "/%2E%2E/%2E%2E/pom.xml", "/..%2fpom.xml",
            "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..%5csecret.txt", "/sub/../../secret.txt",
            "/sub/%2e%2e/%2e%2e/secret.txt", "/%252e%252e/secret.txt", "/.%2e/secret.txt",
            "/client/../../secret.txt", "/../../../../../../etc/passwd", "/dev/parley/server/secret.txt",
        };
        for (String path : attempts) {
            RawHttp.Response response = RawHttp.get(server.port(), path);
            assertThat(response.status()).as(path).isNotEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain(SECRET).doesNotContain("<project").doesNotContain("root:");
        }
    }

    @Test
    void unknownApiPathsStayJsonEvenWithAWebRoot() {
        ApiClient.Response missing = http.get("/api/v1/nothing-here", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("not_found");
        assertThat(http.get("/health", null).json().path("status").asText()).isEqualTo("ok");
    }
}
