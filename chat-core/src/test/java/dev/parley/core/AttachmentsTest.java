package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.local.InMemoryChatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Uploads attached to messages: the server's metadata wins, rights to download, the gallery, cleanup. */
class AttachmentsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private ChatEngine engine;
    private Conversation group;
    private int blobs;

    @BeforeEach
    void setUp() {
        engine = ChatEngine.builder().store(new InMemoryChatStore()).clock(clock).build();
        engine.subscribe(deliveries::add);
        for (String user : List.of("alice", "bob", "carol", "mallory")) {
            engine.putUser(user, user);
        }
        group = engine.createGroup("alice", "Team", List.of("bob", "carol"));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private Upload upload(String owner, AttachmentKind kind, String name) {
        String sha = String.format("%064x", ++blobs);
        return engine.registerUpload(owner, sha, null, new Attachment("ignored", name,
                kind == AttachmentKind.IMAGE ? "image/png" : "application/pdf", kind, 1234L,
                kind == AttachmentKind.IMAGE ? 640 : null, kind == AttachmentKind.IMAGE ? 480 : null, null, List.of(),
                kind == AttachmentKind.IMAGE ? new Attachment.Preview(320, 240) : null));
    }

    private Message send(String sender, String text, Upload... uploads) {
        List<Attachment> refs = new ArrayList<>();
        for (Upload u : uploads) {
            refs.add(Attachment.ref(u.id()));
        }
        return engine.sendAndWait(sender, group.id(), "c-" + System.nanoTime(), new MessageBody(text, refs), null);
    }

    @Test
    void aSendCarriesTheServersMetadataNotTheClients() {
        Upload photo = upload("alice", AttachmentKind.IMAGE, "cat.png");
        assertThat(photo.id()).isNotEqualTo("ignored");

        Message m = send("alice", "", photo);

        assertThat(m.body().text()).isEmpty();
        assertThat(m.body().attachments()).containsExactly(photo.attachment());
        assertThat(m.body().attachments().get(0).width()).isEqualTo(640);
        assertThat(deliveries).anySatisfy(d -> assertThat(d.event()).isEqualTo(new MessageEvent(m)));
        assertThat(engine.history("bob", group.id(), null, null, 10).messages().get(0).body().attachments())
                .containsExactly(photo.attachment());
    }

    @Test
    void onlyTheUploaderAttachesAndOnlyKnownUploads() {
        Upload bobs = upload("bob", AttachmentKind.DOCUMENT, "plan.pdf");
        Upload mine = upload("alice", AttachmentKind.DOCUMENT, "a.pdf");

        assertCode(() -> send("alice", "look", bobs), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.sendAndWait("alice", group.id(), "x", new MessageBody("x",
                List.of(Attachment.ref("no-such-upload"))), null), ErrorCode.NOT_FOUND);
        assertCode(() -> send("alice", "twice", mine, mine), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.sendAndWait("alice", group.id(), "y", new MessageBody("   "), null), ErrorCode.BAD_REQUEST);
        List<Upload> many = new ArrayList<>();
        for (int i = 0; i <= ChatEngine.MAX_ATTACHMENTS; i++) {
            many.add(upload("alice", AttachmentKind.DOCUMENT, "f" + i));
        }
        assertCode(() -> send("alice", "all", many.toArray(Upload[]::new)), ErrorCode.TOO_LARGE);
        assertThat(engine.history("alice", group.id(), null, null, 10).messages()).isEmpty();
    }

    @Test
    void downloadRightsFollowMembershipOfAConversationThatCarriesTheFile() {
        Upload doc = upload("alice", AttachmentKind.DOCUMENT, "plan.pdf");
        assertThat(engine.download("alice", doc.id())).isEqualTo(doc);
        assertCode(() -> engine.download("bob", doc.id()), ErrorCode.NOT_FOUND); // not attached yet

        Message m = send("alice", "the plan", doc);
        assertThat(engine.download("bob", doc.id())).isEqualTo(doc);
        assertCode(() -> engine.download("mallory", doc.id()), ErrorCode.NOT_FOUND);
        assertCode(() -> engine.download("bob", "no-such-upload"), ErrorCode.NOT_FOUND);

        engine.removeMember("alice", group.id(), "carol");
        assertCode(() -> engine.download("carol", doc.id()), ErrorCode.NOT_FOUND);

        engine.delete("alice", group.id(), m.id(), DeleteScope.EVERYONE);
        assertCode(() -> engine.download("bob", doc.id()), ErrorCode.NOT_FOUND);
        assertThat(engine.history("bob", group.id(), null, null, 10).messages().stream()
                .filter(x -> x.id().equals(m.id())).findFirst().orElseThrow().body().attachments()).isEmpty();
    }

    @Test
    void editsChangeTheTextAndKeepTheAttachments() {
        Upload doc = upload("alice", AttachmentKind.DOCUMENT, "plan.pdf");
        Message m = send("alice", "v1", doc);

        Message edited = engine.edit("alice", group.id(), m.id(), new MessageBody("v2"));
        assertThat(edited.body()).isEqualTo(new MessageBody("v2", List.of(doc.attachment())));
        assertCode(() -> engine.edit("alice", group.id(), m.id(), new MessageBody("v3",
                List.of(Attachment.ref(doc.id())))), ErrorCode.BAD_REQUEST);
        // a file-only message may lose its caption
        assertThat(engine.edit("alice", group.id(), m.id(), new MessageBody("")).body().attachments()).hasSize(1);
    }

    @Test
    void theGalleryListsAttachmentsByKindNewestFirst() {
        Upload p1 = upload("alice", AttachmentKind.IMAGE, "1.png");
        Upload p2 = upload("bob", AttachmentKind.IMAGE, "2.png");
        Upload d1 = upload("alice", AttachmentKind.DOCUMENT, "d.pdf");
        Upload p3 = upload("alice", AttachmentKind.IMAGE, "3.png");
        send("alice", "first", p1, d1);
        Message second = send("bob", "second", p2);
        Message third = send("alice", "third", p3);
        engine.delete("bob", group.id(), second.id(), DeleteScope.EVERYONE);

        List<GalleryItem> images = engine.gallery("carol", group.id(), AttachmentKind.IMAGE, null, 10);
        assertThat(images).extracting(i -> i.attachment().id()).containsExactly(p3.id(), p1.id());
        assertThat(images.get(0).messageId()).isEqualTo(third.id());
        assertThat(images.get(0).senderId()).isEqualTo("alice");
        assertThat(engine.gallery("carol", group.id(), AttachmentKind.IMAGE, images.get(0).seq(), 10))
                .extracting(i -> i.attachment().id()).containsExactly(p1.id());
        assertThat(engine.gallery("carol", group.id(), AttachmentKind.DOCUMENT, null, 10))
                .extracting(i -> i.attachment().id()).containsExactly(d1.id());
        assertCode(() -> engine.gallery("mallory", group.id(), AttachmentKind.IMAGE, null, 10), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.gallery("carol", group.id(), AttachmentKind.IMAGE, 0L, 10), ErrorCode.BAD_REQUEST);
    }

    @Test
    void uploadsNothingNeedsAreReleasedAndTheirBlobsReported() {
        Upload kept = upload("alice", AttachmentKind.DOCUMENT, "kept.pdf");
        Upload deleted = upload("alice", AttachmentKind.DOCUMENT, "deleted.pdf");
        Upload stale = upload("alice", AttachmentKind.DOCUMENT, "never-sent.pdf");
        send("alice", "kept", kept);
        Message gone = send("alice", "gone", deleted);
        assertThat(engine.releaseUploads(100)).isEmpty();

        engine.delete("alice", group.id(), gone.id(), DeleteScope.EVERYONE);
        assertThat(engine.releaseUploads(100)).containsExactly(deleted.sha256());
        assertThat(engine.releaseUploads(100)).isEmpty();

        clock.advance(ChatEngine.UNATTACHED_UPLOAD_TTL.plus(Duration.ofMinutes(1)));
        assertThat(engine.releaseUploads(100)).containsExactly(stale.sha256());
        assertCode(() -> engine.download("alice", stale.id()), ErrorCode.NOT_FOUND);
        assertThat(engine.download("bob", kept.id())).isEqualTo(kept);
    }

    @Test
    void aBlobSharedByTwoUploadsIsReleasedOnlyWithTheLast() {
        Attachment detected = new Attachment("x", "same.pdf", "application/pdf", AttachmentKind.DOCUMENT, 10L,
                null, null, null, List.of(), null);
        String sha = "ab".repeat(32);
        Upload a = engine.registerUpload("alice", sha, null, detected);
        Upload b = engine.registerUpload("bob", sha, null, detected);
        Message ma = send("alice", "a", a);
        Message mb = engine.sendAndWait("bob", group.id(), "b", new MessageBody("b", List.of(Attachment.ref(b.id()))), null);

        engine.delete("alice", group.id(), ma.id(), DeleteScope.EVERYONE);
        assertThat(engine.releaseUploads(100)).isEmpty();
        engine.delete("bob", group.id(), mb.id(), DeleteScope.EVERYONE);
        assertThat(engine.releaseUploads(100)).containsExactly(sha);
    }

    @Test
    void searchFiltersOnAttachments() {
        send("alice", "report attached", upload("alice", AttachmentKind.DOCUMENT, "r.pdf"));
        send("alice", "report soon");

        assertThat(engine.search("bob", new SearchRequest("report", null, null, null, null, true, 10, null)).results())
                .extracting(h -> h.message().body().text()).containsExactly("report attached");
        assertThat(engine.search("bob", new SearchRequest("report", null, null, null, null, false, 10, null)).results())
                .extracting(h -> h.message().body().text()).containsExactly("report soon");
    }
}
