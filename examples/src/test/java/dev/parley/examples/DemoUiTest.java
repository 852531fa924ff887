package dev.parley.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Base32;
import dev.parley.accounts.Totp;
import dev.parley.core.MessageBody;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/**
 * The demo web UI end to end: a real {@link DemoServer} on 127.0.0.1 and one headless
 * Chromium per user, driven by Selenium. Screenshots go to {@code target/screenshots/}.
 */
class DemoUiTest {
    private static final int DESKTOP_WIDTH = 1100;
    private static final int DESKTOP_HEIGHT = 720;

    @TempDir
    Path dataDir;
    private DemoFixture demo;

    @BeforeEach
    void startServer() {
        Browser.requireInstalled();
        demo = new DemoFixture(dataDir);
    }

    @AfterEach
    void stopServer() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void twoUsersChatInRealTimeWithTypingUnreadReceiptsAndPresence() {
        try (Browser alice = desktop("alice"); Browser bob = desktop("bob")) {
            registerInUi(bob, "bob", "Bob");
            registerInUi(alice, "alice", "Alice");
            alice.screenshot("01-alice-signed-up");

            startDirect(alice, "bob");
            alice.text("#chat-title", "Bob");
            alice.text("#chat-presence", "online");
            // bob learns of the new conversation without a reload, and sees alice online
            bob.text("#conversations li .name", "Alice");
            bob.visible("#conversations li .dot.online");

            alice.type("#composer textarea", "Hi Bob, lunch today?");
            alice.press("#composer textarea", Keys.ENTER);
            alice.text("#messages li.msg.mine", "Hi Bob, lunch today?");
            assertThat(alice.value("#composer textarea")).isEmpty();

            // bob has not opened it: an unread badge, the message as preview
            bob.text("#conversations li .unread", "1");
            bob.text("#conversations li .last", "Hi Bob, lunch today?");
            bob.screenshot("02-bob-unread-badge");
            // bob's client acknowledged delivery: two grey ticks, not read yet
            alice.visible("#messages li.msg.mine .ticks.delivered");

            bob.click("#conversations li .conv");
            bob.text("#messages li.msg", "Hi Bob, lunch today?");
            bob.text("#chat-presence", "online");
            bob.hidden("#conversations li .unread");
            alice.visible("#messages li.msg.mine .ticks.read");
            assertThat(alice.textOf("#messages li.msg.mine .ticks.read")).isEqualTo("✓✓");

            alice.press("#composer textarea", "Sure, at noo");
            bob.text("#typing", "Alice is typing…");
            bob.screenshot("03-bob-sees-typing");
            alice.press("#composer textarea", "n?", Keys.ENTER);
            bob.text("#messages", "Sure, at noon?");
            bob.until("typing indicator cleared", d -> bob.textOf("#typing").isEmpty());

            bob.type("#composer textarea", "Noon works — à tout à l’heure");
            bob.click("#composer button[type=submit]");
            alice.text("#messages", "Noon works — à tout à l’heure");
            assertThat(countMessages(alice, "Noon works — à tout à l’heure")).isEqualTo(1);
            assertThat(countMessages(bob, "Noon works — à tout à l’heure")).isEqualTo(1);
            alice.until("bob's reply is read-marked as alice has it open",
                    d -> bob.findAll("#messages li.msg.mine .ticks.read").size() == 1);
            alice.screenshot("04-alice-conversation");
            bob.screenshot("05-bob-conversation");
            alice.assertNoScriptErrors();
            bob.assertNoScriptErrors();
        }
    }

    @Test
    void twoFactorLoginAsksForTheCodeAfterThePassword() {
        JsonNode session = demo.register("carol", "Carol");
        String token = session.path("token").asText();
        JsonNode enrollment = demo.post("/api/v1/auth/totp/enroll", token, null, 200);
        byte[] secret = Base32.decode(enrollment.path("secret").asText());
        Totp totp = Totp.sha1(6);
        Instant now = Instant.now();
        demo.post("/api/v1/auth/totp/confirm", token, Map.of("code", totp.at(secret, now)), 200);

        try (Browser carol = desktop("carol")) {
            carol.get(demo.url());
            carol.type("#login-form input[name=username]", "carol");
            carol.type("#login-form input[name=password]", DemoFixture.PASSWORD);
            carol.press("#login-form input[name=password]", Keys.ENTER);
            carol.visible("#totp-form input[name=code]");
            carol.hidden("#login-form");
            assertThat(carol.driver.switchTo().activeElement().getDomAttribute("name")).isEqualTo("code");

            // a wrong code is refused with a message; the form stays
            carol.type("#totp-form input[name=code]", totp.at(secret, now.minusSeconds(3600)));
            carol.press("#totp-form input[name=code]", Keys.ENTER);
            carol.until("wrong code refused", d -> !carol.textOf("#totp-error").isBlank());
            carol.screenshot("06-totp-wrong-code");

            // the confirm call used this step's code: the next step's is still unused and accepted
            carol.type("#totp-form input[name=code]", totp.at(secret, now.plusSeconds(Totp.STEP_SECONDS)));
            carol.click("#totp-form button[type=submit]");
            carol.visible("#app");
            carol.text("#me-name", "Carol");
            carol.hidden("#auth");
            carol.screenshot("06b-totp-signed-in");

            // a reload keeps the session of this tab; logging out ends it on the server too
            String pageToken = (String) carol.js("return sessionStorage.getItem('parley.token')");
            carol.driver.navigate().refresh();
            carol.text("#me-name", "Carol");
            carol.until("connected", d -> carol.textOf("#conn-state").isBlank());
            carol.click("#logout");
            carol.visible("#login-form input[name=username]");
            assertThat(demo.get("/api/v1/me", pageToken, 401).path("error").path("code").asText())
                    .isEqualTo("unauthenticated");
            carol.assertNoScriptErrors();
        }
    }

    @Test
    void pageShowsWhatItMissedWhileDisconnectedOnceAfterReconnecting() {
        JsonNode bobApi = demo.register("bob", "Bob");
        try (Browser alice = desktop("alice"); Browser bob = desktop("bob")) {
            registerInUi(alice, "alice", "Alice");
            loginInUi(bob, "bob");
            startDirect(alice, "bob");
            send(alice, "before the restart");
            bob.click("#conversations li .conv");
            bob.text("#messages", "before the restart");
            alice.text("#chat-presence", "online");
            String conversationId = alice.attr("#conversations li.active", "data-id");

            // Alice's network goes away (her open socket stays until the server drops it), so
            // her page cannot come back before we say so: what follows is what she misses.
            alice.offline(true);
            demo.stop();
            alice.until("alice sees the connection drop", d -> alice.textOf("#conn-state").contains("reconnecting"));
            bob.until("bob sees the connection drop", d -> bob.textOf("#conn-state").contains("reconnecting"));

            // bob writes while the server is down: shown as pending, sent after his reconnect
            send(bob, "written while offline");
            bob.visible("#messages li.msg.mine.pending");
            bob.text("#messages li.msg.mine.pending .meta", "waiting for connection");
            bob.screenshot("07-bob-offline-pending");

            demo.start();
            bob.until("bob reconnected", d -> bob.textOf("#conn-state").isBlank());
            bob.hidden("#messages li.msg.pending");
            demo.post("/api/v1/conversations/" + conversationId + "/messages", bobApi.path("token").asText(),
                    Map.of("clientMsgId", "api-1", "body", Map.of("text", "sent through the API")), 201);
            bob.text("#messages", "sent through the API");
            assertThat(alice.textOf("#messages")).doesNotContain("written while offline");
            alice.screenshot("08-alice-offline");

            // back online: the client reconnects at once, resumes, and shows each missed message once
            alice.offline(false);
            alice.text("#messages", "written while offline");
            alice.text("#messages", "sent through the API");
            alice.until("alice reconnected", d -> alice.textOf("#conn-state").isBlank());
            alice.text("#chat-presence", "online");
            bob.text("#chat-presence", "online");

            // the socket works live again; nothing was doubled on the way
            send(alice, "welcome back");
            bob.text("#messages", "welcome back");
            bob.until("alice has read everything", d -> bob.findAll("#messages li.msg.mine .ticks.read").size() == 2);
            for (Browser b : new Browser[] {alice, bob}) {
                for (String text : new String[] {"before the restart", "written while offline",
                        "sent through the API", "welcome back"}) {
                    assertThat(countMessages(b, text)).as(b.name + ": " + text).isEqualTo(1);
                }
                assertThat(b.findAll("#messages li.msg")).as(b.name).hasSize(4);
            }
            alice.screenshot("09-alice-after-reconnect");
            alice.assertNoScriptErrors();
            bob.assertNoScriptErrors();
        }
    }

    @Test
    void longOutageIsFilledFromHistoryInOrderWithoutGapsOrDuplicates() {
        JsonNode bob = demo.register("bob", "Bob");
        int missed = 530; // more than the server replays on resume (500): the client pages history
        try (Browser alice = desktop("alice")) {
            registerInUi(alice, "alice", "Alice");
            startDirect(alice, "bob");
            send(alice, "are you there?");
            String conversationId = alice.attr("#conversations li.active", "data-id");

            alice.offline(true);
            demo.stop();
            demo.start();
            alice.until("alice sees the connection drop", d -> alice.textOf("#conn-state").contains("reconnecting"));
            String bobId = bob.path("userId").asText();
            for (int i = 1; i <= missed; i++) {
                demo.server().engine().send(bobId, conversationId, "m" + i, new MessageBody("reply " + i), null).join();
            }

            alice.offline(false);
            alice.until("all missed messages shown", d -> alice.findAll("#messages li.msg").size() == missed + 1);
            alice.until("alice reconnected", d -> alice.textOf("#conn-state").isBlank());
            @SuppressWarnings("unchecked")
            List<Long> seqs = (List<Long>) alice.js(
                    "return [...document.querySelectorAll('#messages li.msg')].map(li => Number(li.dataset.seq))");
            assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, missed + 1).boxed().toList());
            alice.text("#messages li.msg:last-child", "reply " + missed);
            // the page read them all: the server's cursor moved with a few coalesced receipts
            alice.until("read cursor at the end", d -> demo.get("/api/v1/conversations/" + conversationId
                    + "/members", bob.path("token").asText()).findValues("readSeq").stream()
                    .anyMatch(n -> n.asLong() == missed + 1));
            alice.hidden("#conversations li .unread");
            alice.screenshot("10-alice-after-long-outage");

            // opened again, the conversation shows the newest page; older ones load on request
            alice.click("#conversations li .conv");
            alice.until("newest page", d -> alice.findAll("#messages li.msg").size() == 50);
            alice.click("#messages li.more button");
            alice.until("one more page", d -> alice.findAll("#messages li.msg").size() == 100);
            alice.text("#messages li.msg:last-child", "reply " + missed);
            alice.assertNoScriptErrors();
        }
    }

    @Test
    void burstOfLiveMessagesIsReadWithoutTrippingTheRateLimit() {
        JsonNode bob = demo.register("bob", "Bob");
        int burst = 150; // each one is delivered and read: far over the server's 40-command burst
        try (Browser alice = desktop("alice")) {
            registerInUi(alice, "alice", "Alice");
            startDirect(alice, "bob");
            String conversationId = alice.attr("#conversations li.active", "data-id");
            alice.js("window.__states = [];"
                    + "new MutationObserver(() => window.__states.push(document.getElementById('conn-state').dataset.state))"
                    + ".observe(document.getElementById('conn-state'), {attributes: true, childList: true});");

            String bobId = bob.path("userId").asText();
            for (int i = 1; i <= burst; i++) {
                demo.server().engine().send(bobId, conversationId, "b" + i, new MessageBody("burst " + i), null).join();
            }
            alice.until("burst shown", d -> alice.findAll("#messages li.msg").size() == burst);
            alice.until("read cursor at the end", d -> demo.get("/api/v1/conversations/" + conversationId
                    + "/members", bob.path("token").asText()).findValues("readSeq").stream()
                    .anyMatch(n -> n.asLong() == burst));
            assertThat((List<?>) alice.js("return window.__states")).as("connection states during the burst")
                    .allMatch("connected"::equals);
            alice.assertNoScriptErrors();
        }
    }

    @Test
    void groupIsCreatedByUsernamesAndShowsWhoWroteWhat() {
        JsonNode bob = demo.register("bob", "Bob");
        demo.register("carol", "Carol");
        JsonNode dave = demo.register("dave", "Dave");
        try (Browser alice = desktop("alice")) {
            registerInUi(alice, "alice", "Alice");

            // an unknown member is refused by name and nothing is created
            alice.click(".new-group summary");
            alice.type("#new-group input[name=name]", "Weekend trip");
            alice.type("#new-group input[name=members]", "bob, zed");
            alice.press("#new-group input[name=members]", Keys.ENTER);
            alice.text("#sidebar-error", "zed");
            assertThat(alice.findAll("#conversations li")).isEmpty();

            alice.type("#new-group input[name=members]", "bob, Carol");
            alice.press("#new-group input[name=members]", Keys.ENTER);
            alice.text("#chat-title", "Weekend trip");
            alice.text("#conversations li.active .name", "Weekend trip");
            assertThat(alice.textOf("#sidebar-error")).isEmpty();
            alice.visible("#add-member");
            String conversationId = alice.attr("#conversations li.active", "data-id");

            alice.type("#composer textarea", "Who brings the tent?");
            alice.press("#composer textarea", Keys.ENTER);
            alice.text("#messages li.msg.mine", "Who brings the tent?");
            demo.post("/api/v1/conversations/" + conversationId + "/messages", bob.path("token").asText(),
                    Map.of("clientMsgId", "b-1", "body", Map.of("text", "I do")), 201);
            alice.text("#messages li.msg:not(.mine) .author", "Bob");
            alice.text("#messages li.msg:not(.mine)", "I do");

            alice.type("#add-member input[name=username]", "dave");
            alice.press("#add-member input[name=username]", Keys.ENTER);
            alice.text("#chat-members", "4 members");
            assertThat(demo.get("/api/v1/conversations/" + conversationId + "/members", dave.path("token").asText())
                    .path("members").size()).isEqualTo(4);
            alice.until("add form cleared",
                    d -> alice.value("#add-member input[name=username]").isEmpty());
            alice.screenshot("11-group");
            alice.assertNoScriptErrors();
        }
    }

    @Test
    void phoneWidthGoesFromListToChatAndBack() {
        demo.register("bob", "Bob");
        try (Browser alice = Browser.open("alice-phone", 390, 844)) {
            registerInUi(alice, "alice", "Alice");
            alice.visible("#no-conversations");
            alice.hidden(".chat");
            alice.screenshot("12-phone-list-empty");

            startDirect(alice, "bob");
            alice.visible("#composer");
            alice.visible("#back");
            alice.hidden(".sidebar");
            alice.type("#composer textarea", "Sent from my phone");
            alice.press("#composer textarea", Keys.ENTER);
            alice.text("#messages li.msg.mine", "Sent from my phone");
            assertNoHorizontalScroll(alice);
            alice.screenshot("13-phone-chat");

            alice.click("#back");
            alice.visible(".sidebar");
            alice.hidden(".chat");
            alice.text("#conversations li .last", "Sent from my phone");
            assertNoHorizontalScroll(alice);
            alice.screenshot("14-phone-list");

            // keyboard: the conversation is a focusable item that Enter opens
            alice.press("#conversations li .conv", Keys.ENTER);
            alice.visible("#composer");
            alice.hidden(".sidebar");
            alice.text("#messages", "Sent from my phone");

            // a thread covers the screen and closes back to the chat
            alice.click("#messages li.msg.mine .menu-toggle");
            alice.click("#messages li.msg.mine .actions [data-focus-key=reply]");
            alice.visible("#thread-composer textarea");
            alice.type("#thread-composer textarea", "and a reply from my phone");
            alice.press("#thread-composer textarea", Keys.ENTER);
            alice.text("#thread-count", "1 reply");
            assertNoHorizontalScroll(alice);
            alice.screenshot("15-phone-thread");
            alice.click("#panel-close");
            alice.hidden("#panel");
            alice.text("#messages li.msg.mine .thread-link", "1 reply");
            alice.assertNoScriptErrors();
        }
    }

    @Test
    void reactionsEditsAndDeletesReachTheOtherSide() {
        try (Browser alice = desktop("alice"); Browser bob = desktop("bob")) {
            registerInUi(bob, "bob", "Bob");
            registerInUi(alice, "alice", "Alice");
            startDirect(alice, "bob");
            send(alice, "Pizza tonight?");
            alice.text("#messages li.msg.mine", "Pizza tonight?");
            bob.click("#conversations li .conv");
            bob.text("#messages li.msg", "Pizza tonight?");

            // bob reacts from the message's menu; alice sees it live
            bob.click("#messages li.msg .menu-toggle");
            bob.click("#messages li.msg .actions button[aria-label='React 👍']");
            bob.text("#messages li.msg .reaction.me[data-emoji='👍'] .count", "1");
            alice.text("#messages li.msg.mine .reaction[data-emoji='👍'] .count", "1");
            assertThat(alice.attr("#messages li.msg.mine .reaction[data-emoji='👍']", "aria-pressed")).isEqualTo("false");

            // alice joins in by clicking the reaction; bob takes his back
            alice.click("#messages li.msg.mine .reaction[data-emoji='👍']");
            bob.text("#messages li.msg .reaction[data-emoji='👍'] .count", "2");
            alice.text("#messages li.msg.mine .reaction.me[data-emoji='👍'] .count", "2");
            bob.click("#messages li.msg .reaction[data-emoji='👍']");
            alice.until("bob's reaction gone", d -> alice.textOf("#messages li.msg.mine .reaction[data-emoji='👍'] .count").equals("1"));
            bob.until("bob's reaction gone", d -> bob.findAll("#messages li.msg .reaction.me").isEmpty());
            bob.screenshot("15-bob-reactions");

            // alice edits her message; bob sees the new text, marked edited
            alice.click("#messages li.msg.mine .menu-toggle");
            alice.click("#messages li.msg.mine .actions [data-focus-key=edit]");
            alice.visible("#editing");
            assertThat(alice.value("#composer textarea")).isEqualTo("Pizza tonight?");
            alice.type("#composer textarea", "Pizza tomorrow?");
            alice.press("#composer textarea", Keys.ENTER);
            alice.hidden("#editing");
            bob.text("#messages li.msg .text", "Pizza tomorrow?");
            bob.text("#messages li.msg .edited", "edited");
            bob.text("#conversations li .last", "Pizza tomorrow?");
            assertThat(bob.textOf("#messages li.msg .reaction[data-emoji='👍'] .count")).as("reactions stay").isEqualTo("1");
            assertThat(countMessages(bob, "Pizza")).isEqualTo(1);

            // bob hides it for himself only; alice deletes it for everyone
            send(bob, "Sure");
            alice.text("#messages", "Sure");
            bob.click("#messages li.msg.mine .menu-toggle");
            bob.click("#messages li.msg.mine .actions [data-focus-key=delete-me]");
            bob.text("#messages li.msg.mine .tombstone", "You deleted this message");
            assertThat(alice.textOf("#messages li.msg:not(.mine):last-child .text")).isEqualTo("Sure");

            alice.click("#messages li.msg.mine .menu-toggle");
            alice.click("#messages li.msg.mine .actions [data-focus-key=delete-all]");
            bob.text("#messages li.msg:not(.mine) .tombstone", "This message was deleted");
            alice.text("#messages li.msg.mine .tombstone", "This message was deleted");
            assertThat(bob.findAll("#messages li.msg .reaction")).as("a tombstone keeps no reactions").isEmpty();
            assertThat(bob.textOf("#messages")).doesNotContain("Pizza");
            bob.screenshot("16-bob-edit-and-delete");
            alice.assertNoScriptErrors();
            bob.assertNoScriptErrors();
        }
    }

    @Test
    void uploadedImageShowsProgressThenItsPreviewOnBothSides() throws IOException {
        Path image = picture(dataDir.resolve("harbour.png"), 640, 480);
        try (Browser alice = desktop("alice"); Browser bob = desktop("bob")) {
            registerInUi(bob, "bob", "Bob");
            registerInUi(alice, "alice", "Alice");
            startDirect(alice, "bob");
            alice.js("window.__sawProgress = false;"
                    + "new MutationObserver(() => { if (document.querySelector('#tray progress')) window.__sawProgress = true; })"
                    + ".observe(document.getElementById('tray'), {childList: true, subtree: true});");

            alice.press("#file-input", image.toString());
            alice.visible("#tray .tray-item.done img");
            alice.text("#tray .tray-item.done .name", "harbour.png");
            assertThat((Boolean) alice.js("return window.__sawProgress")).as("a progress bar while uploading").isTrue();
            alice.screenshot("17-alice-image-in-tray");

            alice.press("#composer textarea", Keys.ENTER); // no text: the image alone
            alice.hidden("#tray .tray-item");
            for (Browser b : new Browser[] {alice, bob}) {
                if (b == bob) {
                    b.text("#conversations li .last", "Photo");
                    b.click("#conversations li .conv");
                }
                String img = "#messages li.msg .attachments img";
                b.until("preview loaded", d -> ((Number) b.js("const i = document.querySelector(arguments[0]);"
                        + "return i && i.complete ? i.naturalWidth : 0", img)).intValue() > 0);
                // the server's preview (320 px on the longer side), not the 640 px original
                assertThat(((Number) b.js("return document.querySelector(arguments[0]).naturalWidth", img)).intValue())
                        .as(b.name).isEqualTo(320);
                assertThat(b.attr(img, "alt")).isEqualTo("harbour.png");
                assertThat((String) b.js("return document.querySelector(arguments[0]).src", img)).startsWith("blob:");
            }
            bob.screenshot("18-bob-image-preview");
            alice.assertNoScriptErrors();
            bob.assertNoScriptErrors();
        }
    }

    @Test
    void recordedVoiceMessagePlaysOnTheOtherSide() {
        try (Browser alice = desktop("alice"); Browser bob = desktop("bob")) {
            registerInUi(bob, "bob", "Bob");
            registerInUi(alice, "alice", "Alice");
            startDirect(alice, "bob");
            alice.visible("#record");
            alice.click("#record");
            alice.until("recording", d -> "true".equals(alice.attr("#record", "aria-pressed")));
            alice.until("a second recorded", d -> alice.textOf("#record").contains("0:01"));
            alice.click("#record");
            alice.visible("#tray .tray-item.done");
            alice.press("#composer textarea", Keys.ENTER);

            bob.text("#conversations li .last", "Voice message");
            bob.click("#conversations li .conv");
            bob.visible("#messages li.msg .voice audio");
            bob.until("audio loaded", d -> ((Number) bob.js(
                    "return document.querySelector('#messages li.msg .voice audio').readyState")).intValue() >= 1);
            assertThat((String) bob.js("return document.querySelector('#messages .voice audio').src")).startsWith("blob:");
            bob.screenshot("19-bob-voice-message");
            alice.assertNoScriptErrors();
            bob.assertNoScriptErrors();
        }
    }

    @Test
    void threadRepliesShowTheirCountAndStayOutOfTheTimeline() {
        try (Browser alice = desktop("alice"); Browser bob = desktop("bob")) {
            registerInUi(bob, "bob", "Bob");
            registerInUi(alice, "alice", "Alice");
            startDirect(alice, "bob");
            send(alice, "Plan for Saturday");
            bob.click("#conversations li .conv");
            bob.text("#messages li.msg", "Plan for Saturday");

            bob.click("#messages li.msg .menu-toggle");
            bob.click("#messages li.msg .actions [data-focus-key=reply]");
            bob.visible("#panel[data-mode=thread] #thread-messages");
            bob.text("#thread-messages li.msg", "Plan for Saturday");
            bob.text("#thread-count", "No replies yet");
            assertThat(bob.driver.switchTo().activeElement().getDomAttribute("aria-label")).isEqualTo("Reply in thread");
            bob.type("#thread-composer textarea", "I'll bring snacks");
            bob.press("#thread-composer textarea", Keys.ENTER);
            bob.text("#thread-messages li.msg.mine", "I'll bring snacks");
            bob.text("#thread-count", "1 reply");
            bob.text("#messages li.msg .thread-link", "1 reply");

            alice.text("#messages li.msg.mine .thread-link", "1 reply");
            assertThat(alice.textOf("#messages")).doesNotContain("I'll bring snacks");
            alice.click("#messages li.msg.mine .thread-link");
            alice.text("#thread-messages li.msg:not(.mine)", "I'll bring snacks");
            alice.type("#thread-composer textarea", "Great, I'll bring drinks");
            alice.press("#thread-composer textarea", Keys.ENTER);
            bob.text("#thread-messages", "Great, I'll bring drinks");
            bob.text("#thread-count", "2 replies");
            alice.text("#messages li.msg.mine .thread-link", "2 replies");
            assertThat(bob.findAll("#messages li.msg")).as("replies stay in the thread").hasSize(1);
            bob.screenshot("20-bob-thread");

            // Escape closes the panel and gives the focus back
            bob.press("#thread-composer textarea", Keys.ESCAPE);
            bob.hidden("#panel");
            alice.assertNoScriptErrors();
            bob.assertNoScriptErrors();
        }
    }

    @Test
    void searchFindsAMessageAndOpensItsConversation() {
        JsonNode bob = demo.register("bob", "Bob");
        demo.register("carol", "Carol");
        try (Browser alice = desktop("alice")) {
            registerInUi(alice, "alice", "Alice");
            startDirect(alice, "bob");
            String withBob = alice.attr("#conversations li.active", "data-id");
            demo.post("/api/v1/conversations/" + withBob + "/messages", bob.path("token").asText(),
                    Map.of("clientMsgId", "q-1", "body", Map.of("text", "The <b>quarterly</b> report is ready")), 201);
            demo.post("/api/v1/conversations/" + withBob + "/messages", bob.path("token").asText(),
                    Map.of("clientMsgId", "q-2", "body", Map.of("text", "Lunch at noon")), 201);
            alice.text("#messages", "Lunch at noon");
            startDirect(alice, "carol");
            alice.text("#chat-title", "Carol");

            alice.type("#search-form input[name=query]", "Quarterly REPORT");
            alice.press("#search-form input[name=query]", Keys.ENTER);
            alice.visible("#search-results li");
            assertThat(alice.findAll("#search-results li")).hasSize(1);
            assertThat(alice.findAll("#search-results mark")).extracting(e -> e.getText())
                    .containsExactly("quarterly", "report");
            // the user's markup is text, not HTML
            alice.text("#search-results .snippet", "The <b>quarterly</b> report is ready");
            assertThat(alice.findAll("#search-results b")).isEmpty();
            alice.text("#search-results .where", "Bob");
            alice.screenshot("21-alice-search");

            alice.click("#search-results li .result");
            alice.text("#chat-title", "Bob");
            alice.visible("#messages li.msg.highlight");
            alice.text("#messages li.msg.highlight", "quarterly");
            alice.assertNoScriptErrors();
        }
    }

    @Test
    void friendRequestIsAcceptedLiveAndLeadsToAChat() {
        try (Browser alice = desktop("alice"); Browser bob = desktop("bob")) {
            registerInUi(alice, "alice", "Alice");
            registerInUi(bob, "bob", "Bob");

            bob.click("#friends-button");
            bob.visible("#panel[data-mode=friends]");
            bob.type("#friend-add input[name=username]", "alice");
            bob.press("#friend-add input[name=username]", Keys.ENTER);
            bob.text("#friend-outgoing", "Alice");

            alice.text("#friends-badge", "1");
            alice.click("#friends-button");
            alice.text("#friend-requests", "Bob");
            alice.screenshot("22-alice-friend-request");
            alice.click("#friend-requests li button[data-focus-key^=accept]");
            alice.text("#friends-list", "Bob");
            alice.hidden("#friends-badge");
            alice.visible("#friends-list li .dot.online");
            bob.text("#friends-list", "Alice"); // told live
            assertThat(bob.findAll("#friend-outgoing")).isEmpty();

            alice.click("#friends-list li button[data-focus-key^=message]");
            alice.text("#chat-title", "Bob");
            send(alice, "Thanks for the add!");
            bob.text("#conversations li .last", "Thanks for the add!");
            alice.screenshot("23-alice-friends");
            alice.assertNoScriptErrors();
            bob.assertNoScriptErrors();
        }
    }

    @Test
    void groupOwnerPromotesAndRemovesMembersFromTheMembersPanel() {
        JsonNode bob = demo.register("bob", "Bob");
        JsonNode carol = demo.register("carol", "Carol");
        try (Browser alice = desktop("alice")) {
            registerInUi(alice, "alice", "Alice");
            alice.click(".new-group summary");
            alice.type("#new-group input[name=name]", "Book club");
            alice.type("#new-group input[name=members]", "bob, carol");
            alice.press("#new-group input[name=members]", Keys.ENTER);
            alice.text("#chat-title", "Book club");
            String conversationId = alice.attr("#conversations li.active", "data-id");

            alice.click("#members-button");
            alice.visible("#member-list");
            alice.until("three members", d -> alice.findAll("#member-list li").size() == 3);
            alice.text("#member-list li:first-child", "Alice (you)");
            alice.text("#member-list li:first-child .role", "owner");
            String bobItem = "#member-list li[data-user-id='" + bob.path("userId").asText() + "']";
            String carolItem = "#member-list li[data-user-id='" + carol.path("userId").asText() + "']";
            alice.text(bobItem, "Make admin");

            alice.click(bobItem + " button:first-of-type");
            alice.text(bobItem + " .role", "admin");
            alice.text("#messages li.system", "You made Bob an admin");
            alice.click(carolItem + " button:last-of-type");
            alice.until("carol removed", d -> alice.findAll(carolItem).isEmpty());
            alice.text("#chat-members", "2 members");
            alice.text("#messages", "You removed Carol");
            JsonNode members = demo.get("/api/v1/conversations/" + conversationId + "/members", bob.path("token").asText());
            assertThat(members.path("members").findValuesAsText("role")).containsExactlyInAnyOrder("owner", "admin");
            demo.get("/api/v1/conversations/" + conversationId + "/members", carol.path("token").asText(), 403);
            alice.screenshot("24-alice-group-members");
            alice.assertNoScriptErrors();
        }
    }

    // ---------------------------------------------------------------- steps

    private Browser desktop(String name) {
        return Browser.open(name, DESKTOP_WIDTH, DESKTOP_HEIGHT);
    }

    private void registerInUi(Browser b, String username, String displayName) {
        b.get(demo.url());
        b.click("#toggle-register");
        b.type("#login-form input[name=username]", username);
        b.type("#login-form input[name=password]", DemoFixture.PASSWORD);
        b.type("#login-form input[name=displayName]", displayName);
        b.click("#login-button");
        b.visible("#app");
        b.text("#me-name", displayName);
        b.until("connected", d -> b.textOf("#conn-state").isBlank());
    }

    private void loginInUi(Browser b, String username) {
        b.get(demo.url());
        b.type("#login-form input[name=username]", username);
        b.type("#login-form input[name=password]", DemoFixture.PASSWORD);
        b.click("#login-button");
        b.visible("#app");
        b.until("connected", d -> b.textOf("#conn-state").isBlank());
    }

    private static void send(Browser b, String text) {
        b.type("#composer textarea", text);
        b.press("#composer textarea", Keys.ENTER);
    }

    private static void startDirect(Browser b, String username) {
        b.type("#new-direct input[name=username]", username);
        b.press("#new-direct input[name=username]", Keys.ENTER);
        b.visible("#composer");
    }

    private static long countMessages(Browser b, String text) {
        return ((Number) b.js("return [...document.querySelectorAll('#messages li.msg')]"
                + ".filter(li => li.textContent.includes(arguments[0])).length", text)).longValue();
    }

    /** A PNG of the given size (a few coloured bands), written to {@code file}. */
    private static Path picture(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Color[] colours = {new Color(0x2563eb), new Color(0x16a34a), new Color(0xf59e0b), new Color(0xdb2777)};
        for (int i = 0; i < colours.length; i++) {
            g.setColor(colours[i]);
            g.fillRect(0, i * height / colours.length, width, height / colours.length + 1);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static void assertNoHorizontalScroll(Browser b) {
        Number overflow = (Number) b.js("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(overflow.intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
    }
}
