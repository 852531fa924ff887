package dev.parley.store.jdbc.internal;

import dev.parley.core.AttachmentKind;
import dev.parley.core.GalleryItem;
import dev.parley.core.LinkItem;
import dev.parley.core.Links;
import dev.parley.core.Upload;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Upload records, download rights, the media gallery and upload cleanup (schema V8). */
public final class UploadSql {
    private static final String UPLOAD_COLUMNS = "id, owner_id, sha256, preview_sha256, attachment, created_at";

    private final Jdbi jdbi;

    public UploadSql(Jdbi readers) {
        this.jdbi = readers;
    }

    // ---------------------------------------------------------------- reads

    public Optional<Upload> findUpload(String uploadId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE id = :id")
                .bind("id", uploadId)
                .map((rs, c) -> upload(rs))
                .findOne());
    }

    public boolean mayDownload(String userId, String uploadId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM uploads WHERE id = :id AND owner_id = :u)"
                        + " OR EXISTS (SELECT 1 FROM message_attachments a JOIN members m"
                        + "   ON m.conversation_id = a.conversation_id AND m.user_id = :u WHERE a.upload_id = :id)")
                .bind("id", uploadId)
                .bind("u", userId)
                .mapTo(Boolean.class)
                .one());
    }

    public List<GalleryItem> gallery(String conversationId, AttachmentKind kind, Long beforeSeq, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT u.attachment, msg.id, msg.seq, msg.sender_id, msg.created_at"
                        + " FROM message_attachments a JOIN uploads u ON u.id = a.upload_id"
                        + " JOIN messages msg ON msg.id = a.message_id"
                        + " WHERE a.conversation_id = :c AND a.kind = :kind AND a.seq IN ("
                        + "   SELECT DISTINCT seq FROM message_attachments WHERE conversation_id = :c AND kind = :kind"
                        + "   AND seq < :before ORDER BY seq DESC LIMIT :limit)"
                        + " ORDER BY a.seq DESC, a.position ASC")
                .bind("c", conversationId)
                .bind("kind", kind.wire())
                .bind("before", beforeSeq == null ? Long.MAX_VALUE : beforeSeq)
                .bind("limit", limit)
                .map((rs, c) -> new GalleryItem(AttachmentJson.one(rs.getString(1)), rs.getString(2), rs.getLong(3),
                        rs.getString(4), Rows.instant(rs.getLong(5))))
                .list());
    }

    /**
     * Scans the conversation's messages newest first (the primary key, backwards) for text with a
     * link, and stops after {@code limit} such messages: no index to keep up on the send path.
     */
    public List<LinkItem> links(String conversationId, Long beforeSeq, int limit) {
        return jdbi.withHandle(h -> {
            List<LinkItem> out = new ArrayList<>();
            h.createQuery("SELECT id, seq, sender_id, created_at, body_text FROM messages"
                            + " WHERE conversation_id = :c AND seq < :before AND deleted = 0 AND system_type IS NULL"
                            + " AND (lower(body_text) LIKE '%http://%' OR lower(body_text) LIKE '%https://%')"
                            + " ORDER BY seq DESC LIMIT :limit")
                    .bind("c", conversationId)
                    .bind("before", beforeSeq == null ? Long.MAX_VALUE : beforeSeq)
                    .bind("limit", limit)
                    .map((rs, c) -> {
                        for (String url : Links.extract(rs.getString(5))) {
                            out.add(new LinkItem(url, rs.getString(1), rs.getLong(2), rs.getString(3),
                                    Rows.instant(rs.getLong(4))));
                        }
                        return null;
                    })
                    .list();
            return out;
        });
    }

    public List<Upload> releasable(Instant unattachedBefore, int max) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + UPLOAD_COLUMNS + " FROM uploads u"
                        + " WHERE NOT EXISTS (SELECT 1 FROM message_attachments a WHERE a.upload_id = u.id)"
                        + " AND (u.attached = 1 OR u.created_at < :cutoff) ORDER BY u.created_at LIMIT :max")
                .bind("cutoff", unattachedBefore.toEpochMilli())
                .bind("max", max)
                .map((rs, c) -> upload(rs))
                .list());
    }

    public boolean blobReferenced(String sha256) {
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM uploads WHERE sha256 = :s)"
                        + " OR EXISTS (SELECT 1 FROM uploads WHERE preview_sha256 = :s)")
                .bind("s", sha256)
                .mapTo(Boolean.class)
                .one());
    }

    private static Upload upload(ResultSet rs) throws SQLException {
        return new Upload(AttachmentJson.one(rs.getString("attachment")), rs.getString("owner_id"),
                rs.getString("sha256"), rs.getString("preview_sha256"), Rows.instant(rs.getLong("created_at")));
    }

    // ---------------------------------------------------------------- writes

    public static WriteOp<Void> putUpload(Upload upload) {
        return new WriteOp<>("putUpload") {
            @Override
            protected Void apply(WriteContext ctx) {
                ctx.handle().createUpdate("INSERT INTO uploads (" + UPLOAD_COLUMNS + ")"
                                + " VALUES (:id, :owner, :sha, :preview, :attachment, :at)")
                        .bind("id", upload.id())
                        .bind("owner", upload.ownerId())
                        .bind("sha", upload.sha256())
                        .bind("preview", upload.previewSha256())
                        .bind("attachment", AttachmentJson.one(upload.attachment()))
                        .bind("at", upload.createdAt().toEpochMilli())
                        .execute();
                return null;
            }
        };
    }

    public static WriteOp<Void> deleteUploads(Collection<String> uploadIds) {
        List<String> ids = new ArrayList<>(uploadIds);
        return new WriteOp<>("deleteUploads") {
            @Override
            protected Void apply(WriteContext ctx) {
                if (!ids.isEmpty()) {
                    ctx.handle().createUpdate("DELETE FROM uploads WHERE id IN (<ids>)").bindList("ids", ids).execute();
                }
                return null;
            }
        };
    }
}
