package dev.parley.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser client ({@code /client/parley.js}) on its own, in headless Chromium against a
 * real demo server: each test runs a script in the page that drives two clients (two users)
 * and returns what they saw as JSON.
 */
class BrowserClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two connected clients, {@code alice} and {@code bob}, with a direct conversation {@code dm}. */
    private static final String SETUP = """
            const { ParleyClient, applyReaction, snippetParts, ParleyError } = await import("/client/parley.js");
            const [aliceToken, bobToken] = arguments;
            const alice = new ParleyClient({ token: aliceToken });
            const bob = new ParleyClient({ token: bobToken });
            await alice.connect();
            await bob.connect();
            /** The next event of that type on that client that passes the test. */
            const next = (client, type, test = () => true) => new Promise((resolve) => {
              const listener = (e) => {
                if (test(e.detail)) {
                  client.removeEventListener(type, listener);
                  resolve(e.detail);
                }
              };
              client.addEventListener(type, listener);
            });
            const events = (client, ...types) => {
              const seen = [];
              for (const t of types) client.addEventListener(t, (e) => seen.push({ type: t, detail: e.detail }));
              return seen;
            };
            const dm = await alice.createDirect(bob.user.id);
            """;

    @TempDir
    Path dataDir;
    private DemoFixture demo;
    private Browser browser;
    private String aliceToken;
    private String bobToken;

    @BeforeEach
    void start() {
        Browser.requireInstalled();
        demo = new DemoFixture(dataDir);
        aliceToken = demo.register("alice", "Alice").path("token").asText();
        bobToken = demo.register("bob", "Bob").path("token").asText();
        browser = Browser.open("client", 800, 600);
        browser.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get(demo.url() + "client/parley.js"); // any page of the server's origin
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void uploadReportsProgressAndTheOtherSideFetchesTheFileAndItsPreview() throws Exception {
        JsonNode r = run("""
                // noise: a PNG that does not compress (about 1.4 MB), so the upload takes a while
                const canvas = new OffscreenCanvas(800, 600);
                const g = canvas.getContext("2d");
                const pixels = g.createImageData(800, 600);
                crypto.getRandomValues(pixels.data.subarray(0, 65536)); // at most 64 KiB per call
                for (let i = 65536; i < pixels.data.length; i += 65536) crypto.getRandomValues(pixels.data.subarray(i, i + 65536));
                for (let i = 3; i < pixels.data.length; i += 4) pixels.data[i] = 255;
                g.putImageData(pixels, 0, 0);
                const png = await canvas.convertToBlob({ type: "image/png" });
                const progress = [];
                const attachment = await alice.uploadFile(png, { name: "bands.png", onProgress: (p) => progress.push(p) });
                const received = next(bob, "message");
                const sent = await alice.send(dm.id, "", { attachments: [attachment] });
                const message = await received;
                const preview = await bob.fetchFile(attachment.id, { preview: true });
                const original = await bob.fetchFile(attachment.id);
                const byUrl = await fetch(bob.fileUrl(attachment.id));
                const bare = await fetch(`/api/v1/files/${attachment.id}`);
                let refused;
                try {
                  await alice.uploadFile(new Blob(["#!/bin/sh\\nrm -rf /\\n"]), { name: "setup.sh" });
                } catch (e) {
                  refused = { code: e.code, isParleyError: e instanceof ParleyError };
                }
                const controller = new AbortController();
                const cancelled = alice.uploadFile(png, { signal: controller.signal }).catch((e) => e.name);
                controller.abort();
                return { size: png.size, progress, attachment, sent, message, previewType: preview.type,
                         previewSize: preview.size, originalSize: original.size, byUrl: byUrl.status,
                         bare: bare.status, refused, cancelled: await cancelled };
                """);
        long size = r.path("size").asLong();
        assertThat(r.path("progress").size()).isPositive();
        JsonNode last = r.path("progress").get(r.path("progress").size() - 1);
        assertThat(last.path("loaded").asLong()).isEqualTo(size);
        assertThat(last.path("total").asLong()).isEqualTo(size);
        JsonNode attachment = r.path("attachment");
        assertThat(attachment.path("kind").asText()).isEqualTo("image");
        assertThat(attachment.path("type").asText()).isEqualTo("image/png");
        assertThat(attachment.path("name").asText()).isEqualTo("bands.png");
        assertThat(attachment.path("width").asInt()).isEqualTo(800);
        JsonNode received = r.path("message").path("body").path("attachments");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).path("id").asText()).isEqualTo(attachment.path("id").asText());
        assertThat(r.path("message").path("id").asText()).isEqualTo(r.path("sent").path("id").asText());
        assertThat(r.path("previewType").asText()).startsWith("image/");
        assertThat(r.path("previewSize").asLong()).isPositive().isLessThan(r.path("originalSize").asLong());
        assertThat(r.path("originalSize").asLong()).isEqualTo(size);
        assertThat(r.path("byUrl").asInt()).isEqualTo(200);
        assertThat(r.path("bare").asInt()).as("no token, no file").isEqualTo(401);
        assertThat(r.path("refused").path("code").asText()).isEqualTo("unsupported_media_type");
        assertThat(r.path("refused").path("isParleyError").asBoolean()).isTrue();
        assertThat(r.path("cancelled").asText()).isEqualTo("AbortError");
    }

    @Test
    void editsReactionsThreadsDeletesAndSearchReachTheOtherClient() throws Exception {
        JsonNode r = run("""
                const seen = events(bob, "message.edited", "message.deleted", "reaction", "thread");
                const got = next(bob, "message");
                const root = await alice.send(dm.id, "Meet at the harbour");
                await got;
                let state = root;
                const reacted = next(alice, "reaction");
                await bob.react(dm.id, root.id, "👍");
                const reaction = await reacted;
                state = applyReaction(state, reaction, alice.user.id);
                const edited = next(bob, "message.edited");
                const afterEdit = await alice.edit(dm.id, root.id, "Meet at the lighthouse");
                await edited;
                const threadEvent = next(bob, "thread");
                const reply = await bob.replyInThread(dm.id, root.id, "On my way");
                const thread = await threadEvent;
                const page = await alice.threadHistory(dm.id, root.id);
                const threads = await alice.threads(dm.id);
                const readSeq = await alice.markThreadRead(dm.id, root.id, reply.seq);
                const edits = await bob.edits(dm.id, root.id);
                const search = await bob.search("lighthouse");
                const pinned = next(bob, "pin");
                await alice.pin(dm.id, root.id);
                const pin = await pinned;
                const pins = await bob.pins(dm.id);
                const deleted = next(bob, "message.deleted");
                await alice.delete(dm.id, root.id);
                await deleted;
                const after = await bob.history(dm.id);
                return { seen, reaction, state, afterEdit, thread, page, threads, readSeq, edits, search,
                         parts: snippetParts(search.results[0].snippet), pin, pins, after, reply };
                """);
        assertThat(r.path("seen").findValuesAsText("type"))
                .containsExactly("reaction", "message.edited", "thread", "message.deleted");
        assertThat(r.path("reaction").path("action").asText()).isEqualTo("added");
        assertThat(r.path("reaction").path("emoji").asText()).isEqualTo("👍");
        JsonNode summary = r.path("state").path("reactions").get(0);
        assertThat(summary.path("count").asInt()).isEqualTo(1);
        assertThat(summary.path("me").isMissingNode()).as("bob's reaction, seen by alice").isTrue();
        assertThat(r.path("afterEdit").path("body").path("text").asText()).isEqualTo("Meet at the lighthouse");
        assertThat(r.path("afterEdit").has("editedAt")).isTrue();
        assertThat(r.path("thread").path("thread").path("replyCount").asInt()).isEqualTo(1);
        assertThat(r.path("page").path("messages").findValuesAsText("text")).containsExactly("On my way");
        assertThat(r.path("page").path("unread").asInt()).isEqualTo(1);
        assertThat(r.path("threads")).hasSize(1);
        assertThat(r.path("readSeq").asLong()).isEqualTo(r.path("reply").path("seq").asLong());
        assertThat(r.path("edits").findValuesAsText("text")).containsExactly("Meet at the harbour");
        assertThat(r.path("search").path("results")).hasSize(1);
        assertThat(r.path("parts").toString()).contains("{\"text\":\"lighthouse\",\"match\":true}");
        assertThat(r.path("pin").path("pinned").asBoolean()).isTrue();
        assertThat(r.path("pins")).hasSize(1);
        JsonNode tombstone = r.path("after").path("messages").get(0);
        assertThat(tombstone.path("deleted").asBoolean()).isTrue();
        assertThat(tombstone.path("body").path("text").asText()).isEmpty();
    }

    @Test
    void anUpdateOfAMessageThatNeverArrivedBringsTheMessageFromHistoryInstead() throws Exception {
        JsonNode r = run("""
                const first = next(bob, "message");
                await alice.send(dm.id, "one");
                await first;
                // the server's push of the next message is lost on the way (fan-out is at-most-once)
                const deliver = bob._onFrame.bind(bob);
                let dropped = 0;
                bob._onFrame = (ws, text) => {
                  if (!dropped && JSON.parse(text).type === "message") { dropped++; return; }
                  deliver(ws, text);
                };
                const seen = events(bob, "message", "reaction");
                const two = await alice.send(dm.id, "two");
                const filled = next(bob, "message", (m) => m.seq === two.seq);
                await alice.react(dm.id, two.id, "🎉");
                const message = await filled;
                return { dropped, message, seen: seen.map((e) => e.type), lastSeq: bob.lastSeq(dm.id) };
                """);
        assertThat(r.path("dropped").asInt()).isEqualTo(1);
        assertThat(r.path("message").path("body").path("text").asText()).isEqualTo("two");
        assertThat(r.path("message").path("reactions").get(0).path("emoji").asText()).isEqualTo("🎉");
        assertThat(r.path("seen").toString()).isEqualTo("[\"message\"]"); // the update itself is dropped
        assertThat(r.path("lastSeq").asLong()).isEqualTo(2);
    }

    @Test
    void groupsAndFriendsThroughTheClient() throws Exception {
        JsonNode r = run("""
                const group = await alice.createGroup("Sailing", [bob.user.id]);
                await alice.groups.setRole(group.id, bob.user.id, "admin");
                const members = await alice.members(group.id);
                const renamed = next(bob, "conversation", (c) => c.name === "Sailing club");
                const updated = await alice.groups.update(group.id, { name: "Sailing club", description: "Sundays" });
                await renamed;
                const invite = await alice.groups.createInvite(group.id, { maxUses: 5 });
                let notOwner;
                try { await bob.groups.transferOwnership(group.id, alice.user.id); } catch (e) { notOwner = e.code; }
                const requested = next(bob, "friend");
                await alice.friendRequest(bob.user.id);
                const request = await requested;
                const bobsView = await bob.friends();
                const accepted = next(alice, "friend");
                await bob.friendAccept(alice.user.id);
                const acceptance = await accepted;
                const alicesView = await alice.friends();
                const found = await alice.users("bob");
                const profile = await alice.userProfile(bob.user.id);
                return { members, updated, invite, notOwner, request, bobsView, acceptance, alicesView, found, profile };
                """);
        assertThat(r.path("members").findValuesAsText("role")).containsExactlyInAnyOrder("owner", "admin");
        assertThat(r.path("updated").path("settings").path("description").asText()).isEqualTo("Sundays");
        assertThat(r.path("invite").path("code").asText()).hasSize(22);
        assertThat(r.path("notOwner").asText()).isEqualTo("forbidden");
        assertThat(r.path("request").path("state").asText()).isEqualTo("requested");
        assertThat(r.path("bobsView").path("incoming")).hasSize(1);
        assertThat(r.path("acceptance").path("state").asText()).isEqualTo("accepted");
        assertThat(r.path("alicesView").path("friends")).hasSize(1);
        assertThat(r.path("found").get(0).path("username").asText()).isEqualTo("bob");
        assertThat(r.path("profile").path("name").asText()).isEqualTo("Bob");
    }

    /** Runs {@code body} after {@link #SETUP} in the page; returns what it returns, or fails with its error. */
    private JsonNode run(String body) throws Exception {
        String script = "const done = arguments[arguments.length - 1];\n"
                + "(async () => {\n" + SETUP + body + "\n})().then("
                + "(r) => done(JSON.stringify({ ok: r })),"
                + "(e) => done(JSON.stringify({ error: `${e.name}: ${e.code ?? ''} ${e.message}\\n${e.stack}` })));";
        String json = (String) browser.driver.executeAsyncScript(script, aliceToken, bobToken);
        JsonNode result = JSON.readTree(json);
        if (result.has("error")) {
            throw new AssertionError("script failed: " + result.path("error").asText() + "\nconsole: " + browser.console());
        }
        return result.path("ok");
    }
}
