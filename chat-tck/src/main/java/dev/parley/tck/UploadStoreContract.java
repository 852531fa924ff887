package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Attachment;
import dev.parley.core.AttachmentKind;
import dev.parley.core.Conversation;
import dev.parley.core.GalleryItem;
import dev.parley.core.LinkItem;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.Upload;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.SearchQuery;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} does with uploads and attachments: upload records, download rights, the
 * gallery, erasure with the message, and which uploads and blobs nothing needs any more.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}, which
 * must return an empty store every time (see {@link SystemMentionsContract} for the lifecycle:
 * the contract opens the store before each test, stores the users alice, bob, carol and mallory and {@link #group},
 * and closes {@link #store} after it).
 *
 * @since 0.1.0
 */
public abstract class UploadStoreContract {
    protected final StoreFixtures data = new StoreFixtures();
    protected ChatStore store;
    protected Conversation group;
    private int blobs;

    protected abstract ChatStore openStore();

    @BeforeEach
    protected final void openContractStore() {
        store = openStore();
        for (String u : List.of("alice", "bob", "carol", "mallory")) {
            store.putUser(data.user(u));
        }
        group = data.createGroup(store, "alice", "bob", "carol");
    }

    @AfterEach
    protected final void closeContractStore() {
        store.close();
    }

    protected Upload upload(String owner, AttachmentKind kind) {
        String sha = String.format("%064x", ++blobs);
        boolean image = kind == AttachmentKind.IMAGE;
        Attachment a = new Attachment(data.id("u"), "file-" + blobs + (image ? ".png" : ".ogg"),
                image ? "image/png" : "audio/ogg", kind, 1000L + blobs, image ? 800 : null, image ? 600 : null,
                image ? null : 4200L, image ? List.of() : List.of(0, 17, 255, 3),
                image ? new Attachment.Preview(320, 240) : null);
        Upload u = new Upload(a, owner, sha, image ? String.format("%064x", 1000 + blobs) : null, data.now());
        store.putUpload(u);
        return u;
    }

    protected Message send(String sender, String text, Upload... uploads) {
        List<Attachment> attachments = java.util.Arrays.stream(uploads).map(Upload::attachment).toList();
        NewMessage m = new NewMessage(data.id("m"), group.id(), sender, data.id("c"),
                new MessageBody(text, attachments), null, data.now());
        data.tick();
        return store.append(m, r -> { }).join().message();
    }

    @Test
    void uploadsRoundTripWithEveryDetectedField() {
        Upload image = upload("alice", AttachmentKind.IMAGE);
        Upload voice = upload("alice", AttachmentKind.AUDIO);

        assertThat(store.findUpload(image.id())).contains(image);
        assertThat(store.findUpload(voice.id())).contains(voice);
        assertThat(store.findUpload("no-such-upload")).isEmpty();
    }

    @Test
    void messagesCarryTheirAttachmentsInHistoryAndConversationLists() {
        Upload image = upload("alice", AttachmentKind.IMAGE);
        Upload voice = upload("alice", AttachmentKind.AUDIO);
        Message m = send("alice", "", image, voice);

        assertThat(m.body().attachments()).containsExactly(image.attachment(), voice.attachment());
        assertThat(store.history(group.id(), null, null, 10, "bob").messages()).containsExactly(m);
        assertThat(store.findMessage(m.id(), "bob").orElseThrow().body()).isEqualTo(m.body());
        assertThat(store.conversationsOf("bob", 10, null).conversations().get(0).lastMessage().body())
                .isEqualTo(m.body());
    }

    @Test
    void downloadRightsAreTheOwnersAndTheCarryingConversationsMembers() {
        Upload u = upload("alice", AttachmentKind.IMAGE);
        assertThat(store.mayDownload("alice", u.id())).isTrue();
        assertThat(store.mayDownload("bob", u.id())).isFalse();

        Message m = send("alice", "pic", u);
        assertThat(store.mayDownload("bob", u.id())).isTrue();
        assertThat(store.mayDownload("mallory", u.id())).isFalse();
        assertThat(store.mayDownload("bob", "no-such-upload")).isFalse();

        store.removeMember(group.id(), "carol");
        assertThat(store.mayDownload("carol", u.id())).isFalse();
        store.deleteMessage(m.id());
        assertThat(store.mayDownload("bob", u.id())).isFalse();
        assertThat(store.mayDownload("alice", u.id())).isTrue();
        assertThat(store.findMessage(m.id(), null).orElseThrow().body().attachments()).isEmpty();
    }

    @Test
    void theGalleryListsLiveAttachmentsOfOneKindNewestFirst() {
        Upload i1 = upload("alice", AttachmentKind.IMAGE);
        Upload a1 = upload("alice", AttachmentKind.AUDIO);
        Upload i2 = upload("bob", AttachmentKind.IMAGE);
        Upload i3 = upload("bob", AttachmentKind.IMAGE);
        Message first = send("alice", "1", i1, a1);
        Message second = send("bob", "2", i2, i3);
        Message third = send("alice", "3", upload("alice", AttachmentKind.IMAGE));
        store.deleteMessage(third.id());

        List<GalleryItem> images = store.gallery(group.id(), AttachmentKind.IMAGE, null, 10);
        assertThat(images).extracting(i -> i.attachment().id()).containsExactly(i2.id(), i3.id(), i1.id());
        assertThat(images.get(0)).isEqualTo(new GalleryItem(i2.attachment(), second.id(), second.seq(), "bob",
                second.createdAt()));
        // limit counts messages: the newest message's two images come together
        assertThat(store.gallery(group.id(), AttachmentKind.IMAGE, null, 1)).extracting(i -> i.attachment().id())
                .containsExactly(i2.id(), i3.id());
        assertThat(store.gallery(group.id(), AttachmentKind.IMAGE, second.seq(), 10))
                .extracting(i -> i.messageId()).containsExactly(first.id());
        assertThat(store.gallery(group.id(), AttachmentKind.AUDIO, null, 10))
                .extracting(i -> i.attachment()).containsExactly(a1.attachment());
        assertThat(store.gallery(group.id(), AttachmentKind.VIDEO, null, 10)).isEmpty();
    }

    @Test
    void expiryErasesAttachmentsLikeDeletion() {
        Upload u = upload("alice", AttachmentKind.IMAGE);
        NewMessage m = new NewMessage(data.id("m"), group.id(), "alice", data.id("c"),
                new MessageBody("brief", List.of(u.attachment())), null, data.now(), data.now().plusSeconds(5));
        Message sent = store.append(m, r -> { }).join().message();

        store.expire(group.id(), data.now().plusSeconds(10), 10);
        assertThat(store.findMessage(sent.id(), null).orElseThrow().body().attachments()).isEmpty();
        assertThat(store.mayDownload("bob", u.id())).isFalse();
        assertThat(store.gallery(group.id(), AttachmentKind.IMAGE, null, 10)).isEmpty();
        assertThat(store.releasableUploads(data.now(), 10)).extracting(Upload::id).containsExactly(u.id());
    }

    @Test
    void releasableUploadsAreTheDetachedAndTheStaleNeverSent() {
        Upload carried = upload("alice", AttachmentKind.IMAGE);
        Upload detached = upload("alice", AttachmentKind.IMAGE);
        Upload fresh = upload("alice", AttachmentKind.AUDIO);
        send("alice", "kept", carried);
        Message gone = send("alice", "gone", detached);
        store.deleteMessage(gone.id());

        assertThat(store.releasableUploads(data.now().minus(Duration.ofHours(1)), 10)).extracting(Upload::id)
                .containsExactly(detached.id());
        assertThat(store.releasableUploads(data.now().plusSeconds(60), 10)).extracting(Upload::id)
                .containsExactlyInAnyOrder(detached.id(), fresh.id());
        assertThat(store.releasableUploads(data.now().plusSeconds(60), 1)).hasSize(1);

        assertThat(store.blobReferenced(detached.sha256())).isTrue();
        assertThat(store.blobReferenced(detached.previewSha256())).isTrue();
        store.deleteUploads(List.of(detached.id(), fresh.id()));
        assertThat(store.findUpload(detached.id())).isEmpty();
        assertThat(store.blobReferenced(detached.sha256())).isFalse();
        assertThat(store.blobReferenced(detached.previewSha256())).isFalse();
        assertThat(store.blobReferenced(carried.sha256())).isTrue();
        assertThat(store.releasableUploads(data.now().plusSeconds(60), 10)).isEmpty();
    }

    @Test
    void searchFiltersOnAttachments() {
        send("alice", "report attached", upload("alice", AttachmentKind.IMAGE));
        send("alice", "report soon");

        assertThat(store.search("bob", new SearchQuery("report", null, null, null, null, 10, 0, true)))
                .extracting(h -> h.message().body().text()).containsExactly("report attached");
        assertThat(store.search("bob", new SearchQuery("report", null, null, null, null, 10, 0, false)))
                .extracting(h -> h.message().body().text()).containsExactly("report soon");
        assertThat(store.search("bob", new SearchQuery("report", null, null, null, null, 10, 0, null))).hasSize(2);
    }

    @Test
    void theLinksGalleryListsTheLinksOfLiveMessagesNewestFirst() {
        Message first = send("alice", "docs at https://example.org/guide. and http://example.com/a_(b)");
        send("bob", "no link here, just http:// and https");
        Message second = send("bob", "HTTPS://Example.NET/x?y=1#z");
        Message gone = send("alice", "secret https://example.org/private");
        store.deleteMessage(gone.id());

        List<LinkItem> links = store.links(group.id(), null, 10);
        assertThat(links).extracting(LinkItem::url).containsExactly("HTTPS://Example.NET/x?y=1#z",
                "https://example.org/guide", "http://example.com/a_(b)");
        assertThat(links.get(0)).isEqualTo(new LinkItem("HTTPS://Example.NET/x?y=1#z", second.id(), second.seq(), "bob",
                second.createdAt()));
        assertThat(store.links(group.id(), null, 1)).extracting(LinkItem::messageId).containsExactly(second.id());
        assertThat(store.links(group.id(), second.seq(), 10)).extracting(LinkItem::messageId)
                .containsExactly(first.id(), first.id());
        // the text as it is now
        store.editMessage(first.id(), new MessageBody("moved to https://example.org/v2"), data.now());
        assertThat(store.links(group.id(), second.seq(), 10)).extracting(LinkItem::url)
                .containsExactly("https://example.org/v2");
    }
}
