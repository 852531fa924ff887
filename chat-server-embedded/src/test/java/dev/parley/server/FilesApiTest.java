package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.media.MediaKind;
import dev.parley.media.MediaPolicy;
import dev.parley.server.testing.AccountsServer;
import dev.parley.server.testing.ApiClient;
import dev.parley.server.testing.WsClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload and download over HTTP: limits, detection from the bytes, rights, ranges, headers. */
class FilesApiTest {
    private static final long SMALL_IMAGE_LIMIT = 200_000;

    @TempDir
    Path dir;
    private AccountsServer server;
    private ApiClient api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String alice;
    private String bob;
    private String mallory;
    private String group;

    @BeforeEach
    void start() {
        MediaPolicy policy = MediaPolicy.builder().maxBytes(MediaKind.IMAGE, SMALL_IMAGE_LIMIT).build();
        server = AccountsServer.start(dev.parley.server.ChatServer.builder().host("127.0.0.1").port(0).dataDir(dir)
                .mediaPolicy(policy).accountSettings(AccountsServer.cheapSettings().build()));
        api = server.api();
        alice = server.signUp("alice");
        bob = server.signUp("bob");
        mallory = server.signUp("mallory");
        group = server.server().engine().createGroup(server.userId(alice), "Team", List.of(server.userId(bob))).id();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            image.setRGB(x, x % height, 0xff3366);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private HttpResponse<byte[]> upload(String token, String name, HttpRequest.BodyPublisher body) throws Exception {
        String query = name == null ? "" : "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        HttpRequest.Builder request = api.request("/api/v1/files" + query, token)
                .header("Content-Type", "image/png") // a lie for most tests: never trusted
                .POST(body);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return WsClient.JSON.readTree(response.body());
    }

    private HttpResponse<byte[]> get(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder request = api.request(path, token).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode send(String token, String text, String fileId) {
        ApiClient.Response r = api.post("/api/v1/conversations/" + group + "/messages", token, Map.of(
                "clientMsgId", "c-" + System.nanoTime(), "body", Map.of("text", text,
                        "attachments", List.of(Map.of("id", fileId, "type", "application/x-lie", "size", 1)))));
        assertThat(r.status()).as("send: %s", r).isEqualTo(201);
        return r.json().path("message");
    }

    private long blobCount() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
        }
    }

    @Test
    void anImageUploadIsDetectedPreviewedAndDownloadableByTheMembersOfTheConversationItIsSentTo() throws Exception {
        byte[] bytes = png(800, 600);
        HttpResponse<byte[]> up = upload(alice, "holiday.png", HttpRequest.BodyPublishers.ofByteArray(bytes));
        assertThat(up.statusCode()).as(new String(up.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        JsonNode file = json(up).path("file");
        String id = file.path("id").asText();
        assertThat(file.path("type").asText()).isEqualTo("image/png");
        assertThat(file.path("kind").asText()).isEqualTo("image");
        assertThat(file.path("width").asInt()).isEqualTo(800);
        assertThat(file.path("height").asInt()).isEqualTo(600);
        assertThat(file.path("name").asText()).isEqualTo("holiday.png");
        assertThat(file.path("preview").path("width").asInt()).isBetween(1, 320);
        assertThat(up.headers().firstValue("Location")).contains("/api/v1/files/" + id);

        assertThat(get("/api/v1/files/" + id, bob).statusCode()).as("not sent yet").isEqualTo(404);
        JsonNode message = send(alice, "", id);
        assertThat(message.path("body").path("attachments").get(0).path("type").asText())
                .as("the server's word, not the sender's").isEqualTo("image/png");
        assertThat(message.path("body").path("attachments").get(0).path("size").asLong()).isGreaterThan(1);

        HttpResponse<byte[]> down = get("/api/v1/files/" + id, bob);
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(down.body())).getWidth()).isEqualTo(800);
        assertThat(down.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(down.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(down.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline").contains("holiday.png");
        assertThat(down.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("sandbox");
        // cached per user: a browser must not serve it from cache to a request without this token
        assertThat(down.headers().firstValue("Cache-Control")).contains("private, max-age=86400");
        assertThat(down.headers().firstValue("Vary")).contains("Authorization");

        HttpResponse<byte[]> preview = get("/api/v1/files/" + id + "/preview", bob);
        assertThat(preview.statusCode()).isEqualTo(200);
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(preview.body()));
        assertThat(Math.max(small.getWidth(), small.getHeight())).isLessThanOrEqualTo(320);

        // an <img> cannot send headers: the token may come as a query parameter
        assertThat(get("/api/v1/files/" + id + "?access_token=" + bob, null).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/files/" + id, mallory).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/files/" + id, null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/files/" + id + "?access_token=nonsense", null).statusCode()).isEqualTo(401);

        JsonNode gallery = server.socket(bob).request("gallery", "conversationId", group, "kind", "image");
        assertThat(gallery.path("items")).extracting(i -> i.path("attachment").path("id").asText()).containsExactly(id);
    }

    @Test
    void rangeRequestsServeSlicesAndRefuseWhatCannotBeSatisfied() throws Exception {
        byte[] bytes = png(300, 200);
        String id = json(upload(alice, "a.png", HttpRequest.BodyPublishers.ofByteArray(bytes))).path("file").path("id").asText();
        byte[] served = get("/api/v1/files/" + id, alice).body();
        int n = served.length;

        HttpResponse<byte[]> part = get("/api/v1/files/" + id, alice, "Range", "bytes=10-19");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(served, 10, 20));
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-19/" + n);
        HttpResponse<byte[]> tail = get("/api/v1/files/" + id, alice, "Range", "bytes=-5");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(served, n - 5, n));
        HttpResponse<byte[]> open = get("/api/v1/files/" + id, alice, "Range", "bytes=" + (n - 3) + "-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(served, n - 3, n));
        HttpResponse<byte[]> beyond = get("/api/v1/files/" + id, alice, "Range", "bytes=" + n + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + n);
        assertThat(get("/api/v1/files/" + id, alice, "Range", "bytes=9-2").statusCode()).isEqualTo(416);
        assertThat(get("/api/v1/files/" + id, alice, "Range", "bytes=0-1,5-6").statusCode()).as("served whole").isEqualTo(200);
        assertThat(get("/api/v1/files/" + id, alice, "Range", "bytes=99999999999999999999-").statusCode()).isEqualTo(416);
        String etag = part.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/api/v1/files/" + id, alice, "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void aProgramNamedLikeAnImageIsRefusedAndNothingIsKept() throws Exception {
        byte[] elf = new byte[4096];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[4] = 2;
        HttpResponse<byte[]> r = upload(alice, "cute-cat.png", HttpRequest.BodyPublishers.ofByteArray(elf));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("unsupported_media_type");
        HttpResponse<byte[]> script = upload(alice, "x.jpg",
                HttpRequest.BodyPublishers.ofString("#!/bin/sh\nrm -rf /\n"));
        assertThat(script.statusCode()).isEqualTo(415);
        assertThat(blobCount()).isZero();
    }

    @Test
    void limitsAreEnforcedWhileStreamingAndLeaveNothingBehind() throws Exception {
        byte[] big = png(2000, 2000); // noisy enough? pad to be sure
        byte[] padded = Arrays.copyOf(big, (int) SMALL_IMAGE_LIMIT + 10_000);
        // declared length over the largest limit of any kind: answered before a byte of the body is sent
        assertThat(declaredTooLarge(MediaPolicy.defaults().maxUploadBytes() + 1)).startsWith("HTTP/1.1 413");
        // no declared length (chunked), over the image limit: stopped while streaming
        HttpResponse<byte[]> streamed = upload(alice, "big.png", HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(padded)));
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(json(streamed).path("error").path("code").asText()).isEqualTo("too_large");
        assertThat(blobCount()).isZero();
        // a PNG header claiming 100000 x 100000 pixels: refused before decoding
        byte[] bomb = png(4, 4);
        bomb[16] = 0; bomb[17] = 1; bomb[18] = (byte) 0x86; bomb[19] = (byte) 0xA0; // width 100000
        bomb[20] = 0; bomb[21] = 1; bomb[22] = (byte) 0x86; bomb[23] = (byte) 0xA0; // height 100000
        HttpResponse<byte[]> r = upload(alice, "bomb.png", HttpRequest.BodyPublishers.ofByteArray(bomb));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(blobCount()).isZero();
    }

    @Test
    void namesAreSanitisedAndUploadsNeedASignedInUser() throws Exception {
        HttpResponse<byte[]> r = upload(alice, "../../etc/passwd\u0000.png", HttpRequest.BodyPublishers.ofByteArray(png(10, 10)));
        assertThat(r.statusCode()).isEqualTo(201);
        String name = json(r).path("file").path("name").asText();
        assertThat(name).doesNotContain("/").doesNotContain("..").doesNotContain("\u0000").endsWith(".png");
        HttpResponse<byte[]> anonymous = upload(null, "a.png", HttpRequest.BodyPublishers.ofByteArray(png(10, 10)));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/files/..%2F..%2Fetc%2Fpasswd", alice).statusCode()).isIn(400, 404);
        assertThat(get("/api/v1/files/x%00y", alice).statusCode()).isIn(400, 404);
        assertThat(get("/api/v1/files/", alice).statusCode()).isEqualTo(404);
    }

    @Test
    void theSameBytesAreStoredOnceAndSendingSomeoneElsesUploadIsRefused() throws Exception {
        byte[] bytes = png(64, 64);
        String a = json(upload(alice, "a.png", HttpRequest.BodyPublishers.ofByteArray(bytes))).path("file").path("id").asText();
        String b = json(upload(bob, "b.png", HttpRequest.BodyPublishers.ofByteArray(bytes))).path("file").path("id").asText();
        assertThat(a).isNotEqualTo(b);
        assertThat(blobCount()).as("the image and its preview, once").isEqualTo(2);

        ApiClient.Response stolen = api.post("/api/v1/conversations/" + group + "/messages", bob, Map.of(
                "clientMsgId", "steal", "body", Map.of("text", "", "attachments", List.of(Map.of("id", a)))));
        assertThat(stolen.status()).isEqualTo(403);
    }

    @Test
    void aFileSentAndThenDeletedIsNoLongerServed() throws Exception {
        String id = json(upload(alice, "a.png", HttpRequest.BodyPublishers.ofByteArray(png(30, 30)))).path("file").path("id").asText();
        JsonNode message = send(alice, "oops", id);
        assertThat(get("/api/v1/files/" + id, bob).statusCode()).isEqualTo(200);
        try (WsClient socket = server.socket(alice)) {
            JsonNode reply = socket.request("message.delete", "conversationId", group,
                    "messageId", message.path("id").asText(), "scope", "everyone");
            assertThat(reply.path("ok").asBoolean()).as("%s", reply).isTrue();
        }
        assertThat(get("/api/v1/files/" + id, bob).statusCode()).isEqualTo(404);
    }

    @Test
    void theGalleryListsLinksAndRefusesUnknownKinds() {
        api.post("/api/v1/conversations/" + group + "/messages", alice, Map.of("clientMsgId", "l-1",
                "body", Map.of("text", "read https://example.org/post, then reply")));
        try (WsClient socket = server.socket(bob)) {
            JsonNode links = socket.request("gallery", "conversationId", group, "kind", "link");
            assertThat(links.path("items")).extracting(i -> i.path("url").asText()).containsExactly("https://example.org/post");
            assertThat(links.path("items").get(0).path("senderId").asText()).isEqualTo(server.userId(alice));
            JsonNode bad = socket.request("gallery", "conversationId", group, "kind", "gif");
            assertThat(bad.path("error").path("code").asText()).isEqualTo("bad_request");
        }
        try (WsClient socket = server.socket(mallory)) {
            JsonNode denied = socket.request("gallery", "conversationId", group, "kind", "link");
            assertThat(denied.path("error").path("code").asText()).isEqualTo("forbidden");
        }
    }

    /** Sends only the head of an upload that declares {@code length} bytes; returns the status line. */
    private String declaredTooLarge(long length) throws IOException {
        URI uri = server.server().httpUri();
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/files?name=x.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + alice + "\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
